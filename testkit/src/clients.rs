//! SDK clients for an emulator (dynoxide or moto): fixed dummy credentials, a fixed region.

use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};

use crate::dynamo::Endpoint;

pub fn dynamodb_client(endpoint: &Endpoint) -> aws_sdk_dynamodb::Client {
    let config = aws_sdk_dynamodb::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("local", "local", None, None, "instainstru-local"))
        .endpoint_url(&endpoint.url)
        .build();
    aws_sdk_dynamodb::Client::from_conf(config)
}

pub fn sesv2_client(endpoint_url: &str) -> aws_sdk_sesv2::Client {
    let config = aws_sdk_sesv2::Config::builder()
        .behavior_version(aws_sdk_sesv2::config::BehaviorVersion::latest())
        .region(aws_sdk_sesv2::config::Region::new("us-east-1"))
        .credentials_provider(aws_sdk_sesv2::config::Credentials::new(
            "local",
            "local",
            None,
            None,
            "instainstru-local",
        ))
        .endpoint_url(endpoint_url)
        .build();
    aws_sdk_sesv2::Client::from_conf(config)
}

pub fn sqs_client(endpoint_url: &str) -> aws_sdk_sqs::Client {
    let config = aws_sdk_sqs::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("local", "local", None, None, "instainstru-local"))
        .endpoint_url(endpoint_url)
        .build();
    aws_sdk_sqs::Client::from_conf(config)
}
