//! Storage integration tests, each run against both emulators: dynoxide (in-process) and
//! moto (started by infra/scripts/test.sh). Nothing here may depend on one emulator's
//! quirks.

use instainstru_shared::ids::{BookingId, InstructorId};
use std::sync::Arc;

use instainstru_shared::store::{
    Cursor, Index, Key, Query, Record, SortCondition, StoreError, TxAction,
    transact::{Condition, TransactError},
};
use instainstru_testkit::Backend;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "entity", rename = "thing")]
struct Thing {
    name: String,
    count: u32,
}

fn thing(pk: &str, sk: &str, name: &str) -> Record<Thing> {
    Record::new(Key::new(pk, sk), Thing { name: name.into(), count: 1 })
}

#[tokio::test]
async fn conditional_puts_and_versions() {
    for backend in Backend::BOTH {
        let env = backend.env().await;
        let store = &env.store;
        let a = thing("P#1", "A", "first");
        store.put_new(&a).await.unwrap();
        let again = store.put_new(&thing("P#1", "A", "second")).await;
        assert!(matches!(again, Err(StoreError::ConditionFailed)), "{backend:?}: {again:?}");
        let read: Record<Thing> = store.get(&a.key()).await.unwrap().unwrap();
        assert_eq!(read.data.name, "first", "{backend:?}");

        let v1 = thing("P#1", "V", "v1").version(1);
        store.put_versioned(&v1, None).await.unwrap();
        let stale = store.put_versioned(&thing("P#1", "V", "v2").version(2), Some(7)).await;
        assert!(matches!(stale, Err(StoreError::ConditionFailed)), "{backend:?}");
        store.put_versioned(&thing("P#1", "V", "v2").version(2), Some(1)).await.unwrap();
        let read: Record<Thing> = store.get(&Key::new("P#1", "V")).await.unwrap().unwrap();
        assert_eq!((read.data.name.as_str(), read.version), ("v2", Some(2)), "{backend:?}");
        assert!(store.get::<Record<Thing>>(&Key::new("P#1", "missing")).await.unwrap().is_none());
    }
}

#[tokio::test]
async fn a_cancelled_transaction_names_its_failing_action_and_writes_nothing() {
    for backend in Backend::BOTH {
        let env = backend.env().await;
        let store = &env.store;
        store.put_new(&thing("LOCK#x", "CELL", "taken")).await.unwrap();
        let actions = [
            TxAction::put("booking", &thing("BOOKING#1", "BOOKING", "b"), Condition::absent()).unwrap(),
            TxAction::put("free-cell", &thing("LOCK#y", "CELL", "y"), Condition::absent()).unwrap(),
            TxAction::put("taken-cell", &thing("LOCK#x", "CELL", "x"), Condition::absent()).unwrap(),
        ];
        let result = store.transact(&actions).await;
        match result {
            Err(TransactError::ConditionFailed { label, index }) => {
                assert_eq!((label.as_str(), index), ("taken-cell", 2), "{backend:?}")
            }
            other => panic!("{backend:?}: expected a condition failure, got {other:?}"),
        }
        for key in [Key::new("BOOKING#1", "BOOKING"), Key::new("LOCK#y", "CELL")] {
            assert!(store.get::<Record<Thing>>(&key).await.unwrap().is_none(), "{backend:?}: {key:?} was written");
        }
        // The same transaction without the conflict commits every action.
        store.transact(&actions[..2]).await.unwrap();
        assert!(store.get::<Record<Thing>>(&Key::new("LOCK#y", "CELL")).await.unwrap().is_some());
        // Update and delete actions with conditions.
        let actions = [
            TxAction::update(
                "bump",
                &Key::new("LOCK#y", "CELL"),
                "SET #c = #c + :one",
                Condition::expr("#n = :name")
                    .name("#c", "count")
                    .name("#n", "name")
                    .string(":name", "y")
                    .value(":one", aws_sdk_dynamodb::types::AttributeValue::N("1".into())),
            )
            .unwrap(),
            TxAction::delete("unlock", &Key::new("LOCK#x", "CELL"), Condition::exists()).unwrap(),
        ];
        store.transact(&actions).await.unwrap();
        let y: Record<Thing> = store.get(&Key::new("LOCK#y", "CELL")).await.unwrap().unwrap();
        assert_eq!(y.data.count, 2, "{backend:?}");
        assert!(store.get::<Record<Thing>>(&Key::new("LOCK#x", "CELL")).await.unwrap().is_none());
    }
}

#[tokio::test]
async fn queries_page_with_opaque_cursors() {
    for backend in Backend::BOTH {
        let env = backend.env().await;
        let store = &env.store;
        let items: Vec<_> = (0..25)
            .map(|i| {
                thing("LIST#1", &format!("ITEM#{i:03}"), &format!("n{i}"))
                    .gsi1("BYNAME", format!("{:03}", 24 - i))
                    .to_item()
                    .unwrap()
            })
            .collect();
        store.put_batch(items).await.unwrap();
        store.put_new(&thing("LIST#1", "OTHER#1", "not an item")).await.unwrap();

        let mut seen = Vec::new();
        let mut cursor: Option<Cursor> = None;
        let mut pages = 0;
        loop {
            let query = Query::partition(Index::Table, "LIST#1")
                .sort(SortCondition::BeginsWith("ITEM#".into()))
                .limit(10)
                .after(cursor.clone());
            let page = store.query::<Record<Thing>>(query).await.unwrap();
            pages += 1;
            seen.extend(page.items.into_iter().map(|r| r.data.name));
            // Through the wire and back, as a client would.
            cursor = page.next.map(|c| Cursor::decode(&c.encode()).unwrap());
            if cursor.is_none() {
                break;
            }
        }
        assert_eq!(seen.len(), 25, "{backend:?}");
        assert_eq!(seen.first().map(String::as_str), Some("n0"));
        assert_eq!(seen.last().map(String::as_str), Some("n24"));
        assert!((3..=4).contains(&pages), "{backend:?}: {pages} pages");

        // The index in its own order, and a cursor from another listing is refused.
        let by_name = store.query::<Record<Thing>>(Query::partition(Index::Gsi1, "BYNAME").limit(3)).await.unwrap();
        assert_eq!(by_name.items.iter().map(|r| r.data.name.as_str()).collect::<Vec<_>>(), ["n24", "n23", "n22"]);
        let foreign = Query::partition(Index::Table, "LIST#2").after(by_name.next);
        assert!(matches!(store.query::<Record<Thing>>(foreign).await, Err(StoreError::Cursor(_))), "{backend:?}");

        let all: Vec<Record<Thing>> = store.query_all(Query::partition(Index::Table, "LIST#1").limit(7)).await.unwrap();
        assert_eq!(all.len(), 26, "{backend:?}");
        let some: Vec<Record<Thing>> = store
            .get_many(&[Key::new("LIST#1", "ITEM#003"), Key::new("LIST#1", "nope"), Key::new("LIST#1", "ITEM#010")])
            .await
            .unwrap();
        let mut names: Vec<_> = some.into_iter().map(|r| r.data.name).collect();
        names.sort();
        assert_eq!(names, ["n10", "n3"], "{backend:?}");
    }
}

#[tokio::test]
async fn a_prefix_scan_pages_through_one_item_kind_only() {
    for backend in Backend::BOTH {
        let env = backend.env().await;
        let store = &env.store;
        let mut items: Vec<_> =
            (0..12).map(|i| thing(&format!("KIND#{i:02}"), "KIND", &format!("k{i}")).to_item().unwrap()).collect();
        items.extend((0..7).map(|i| thing(&format!("OTHER#{i}"), "OTHER", "other").to_item().unwrap()));
        store.put_batch(items).await.unwrap();

        let mut seen = Vec::new();
        let mut cursor: Option<Cursor> = None;
        for _ in 0..100 {
            let page = store.scan_prefix::<Record<Thing>>("KIND#", cursor.as_ref(), 5).await.unwrap();
            seen.extend(page.items.into_iter().map(|r| r.data.name));
            cursor = page.next.map(|c| Cursor::decode(&c.encode()).unwrap());
            if cursor.is_none() {
                break;
            }
        }
        seen.sort();
        let mut expected: Vec<String> = (0..12).map(|i| format!("k{i}")).collect();
        expected.sort();
        assert_eq!(seen, expected, "{backend:?}");
        // A cursor naming anything but a table key is refused.
        let foreign = Cursor::from_pairs([("PK", "KIND#01"), ("SK", "KIND"), ("GSI1PK", "x")]);
        assert!(matches!(
            store.scan_prefix::<Record<Thing>>("KIND#", Some(&foreign), 5).await,
            Err(StoreError::Cursor(_))
        ));
    }
}

#[tokio::test]
async fn counters_are_atomic_under_concurrency() {
    for backend in Backend::BOTH {
        let env = backend.env().await;
        let store = Arc::new(env.store.clone());
        let key = Key::new("COUNTER#1", "DAY");
        let tasks: Vec<_> = (0..20)
            .map(|_| {
                let store = store.clone();
                let key = key.clone();
                tokio::spawn(async move { store.increment(&key, "hits", 1, Some(4_000_000_000)).await.unwrap() })
            })
            .collect();
        let mut results = Vec::new();
        for t in tasks {
            results.push(t.await.unwrap());
        }
        results.sort();
        assert_eq!(results, (1..=20).collect::<Vec<i64>>(), "{backend:?}: every increment saw a distinct value");
    }
}

#[tokio::test]
async fn the_table_has_its_indexes_and_ttl() {
    for backend in Backend::BOTH {
        let env = backend.env().await;
        let client = env.store.client();
        let table = client.describe_table().table_name(env.store.table()).send().await.unwrap().table.unwrap();
        let mut indexes: Vec<_> = table.global_secondary_indexes().iter().filter_map(|i| i.index_name()).collect();
        indexes.sort();
        assert_eq!(indexes, ["GSI1", "GSI2"], "{backend:?}");
        let ttl = client.describe_time_to_live().table_name(env.store.table()).send().await.unwrap();
        let ttl = ttl.time_to_live_description.unwrap();
        assert_eq!(ttl.attribute_name(), Some("expiresAt"), "{backend:?}");
    }
}

#[tokio::test]
async fn the_instructor_guard_sees_only_upcoming_confirmed_bookings() {
    use instainstru_shared::{booking::instructor_has_upcoming_confirmed, clock::Clock, store::keys};
    let env = Backend::Dynoxide.env().await;
    let now = env.clock.now();
    let (i1, i2) = (InstructorId::generate(), InstructorId::generate());
    let put = |id: &str, start: jiff::Timestamp, status: &str| {
        let end = start + jiff::SignedDuration::from_mins(60);
        Record::new(
            keys::booking(&BookingId::trusted(id)),
            serde_json::json!({ "entity": "booking", "status": status, "end": end.to_string() }),
        )
        .gsi1(keys::instructor_bookings(&i1), format!("{start}#{id}"))
    };
    assert!(!instructor_has_upcoming_confirmed(&env.store, &i1, now).await.unwrap(), "no bookings at all");
    let day = jiff::SignedDuration::from_hours(24);
    env.store.put(&put("past", now - day, "confirmed")).await.unwrap();
    env.store.put(&put("cancelled", now + day, "cancelled")).await.unwrap();
    env.store.put(&put("completed", now - day, "completed")).await.unwrap();
    assert!(!instructor_has_upcoming_confirmed(&env.store, &i1, now).await.unwrap(), "past or cancelled only");
    // A lesson in progress counts: it has not ended.
    env.store.put(&put("in-progress", now - jiff::SignedDuration::from_mins(30), "confirmed")).await.unwrap();
    assert!(instructor_has_upcoming_confirmed(&env.store, &i1, now).await.unwrap());
    assert!(!instructor_has_upcoming_confirmed(&env.store, &i2, now).await.unwrap(), "another instructor's");
}
