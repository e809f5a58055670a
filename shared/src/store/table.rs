//! Table creation for the local platform and tests. On AWS, template.yaml creates the
//! table; this mirrors it (a test compares the two).

use aws_sdk_dynamodb::{
    Client,
    error::ProvideErrorMetadata,
    types::{
        AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType, Projection, ProjectionType,
        ScalarAttributeType, TimeToLiveSpecification,
    },
};

use super::StoreError;

fn key(name: &str, kind: KeyType) -> Result<KeySchemaElement, StoreError> {
    KeySchemaElement::builder().attribute_name(name).key_type(kind).build().map_err(StoreError::build)
}

fn string_attribute(name: &str) -> Result<AttributeDefinition, StoreError> {
    AttributeDefinition::builder()
        .attribute_name(name)
        .attribute_type(ScalarAttributeType::S)
        .build()
        .map_err(StoreError::build)
}

fn index(name: &str) -> Result<GlobalSecondaryIndex, StoreError> {
    GlobalSecondaryIndex::builder()
        .index_name(name)
        .key_schema(key(&format!("{name}PK"), KeyType::Hash)?)
        .key_schema(key(&format!("{name}SK"), KeyType::Range)?)
        .projection(Projection::builder().projection_type(ProjectionType::All).build())
        .build()
        .map_err(StoreError::build)
}

/// Creates the single table (PK/SK, GSI1, GSI2, TTL on `expiresAt`) if it does not exist.
pub async fn create_table(client: &Client, table: &str) -> Result<(), StoreError> {
    let mut create = client
        .create_table()
        .table_name(table)
        .billing_mode(BillingMode::PayPerRequest)
        .key_schema(key("PK", KeyType::Hash)?)
        .key_schema(key("SK", KeyType::Range)?)
        .global_secondary_indexes(index("GSI1")?)
        .global_secondary_indexes(index("GSI2")?);
    for name in ["PK", "SK", "GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK"] {
        create = create.attribute_definitions(string_attribute(name)?);
    }
    match create.send().await {
        Ok(_) => {}
        Err(err) if err.as_service_error().and_then(|e| e.code()) == Some("ResourceInUseException") => return Ok(()),
        Err(err) => return Err(StoreError::sdk(err)),
    }
    client
        .update_time_to_live()
        .table_name(table)
        .time_to_live_specification(
            TimeToLiveSpecification::builder()
                .attribute_name("expiresAt")
                .enabled(true)
                .build()
                .map_err(StoreError::build)?,
        )
        .send()
        .await
        .map_err(StoreError::sdk)?;
    Ok(())
}

pub async fn delete_table(client: &Client, table: &str) -> Result<(), StoreError> {
    match client.delete_table().table_name(table).send().await {
        Ok(_) => Ok(()),
        Err(err) if err.as_service_error().and_then(|e| e.code()) == Some("ResourceNotFoundException") => Ok(()),
        Err(err) => Err(StoreError::sdk(err)),
    }
}
