//! Table-driven tests of the query parser against the real catalog (the seed files
//! shared/seed/categories.yaml and services.yaml), plus properties.
//!
//! Every table case states the whole expected outcome: a constraint not listed must be absent
//! and the service must be none, so each row checks all nine outputs.

use std::sync::OnceLock;

use jiff::ZonedDateTime;
use jiff::civil::{Date, Time};
use proptest::prelude::*;
use serde::Deserialize;

use super::*;

const CATEGORIES_YAML: &str = include_str!("../../../seed/categories.yaml");
const SERVICES_YAML: &str = include_str!("../../../seed/services.yaml");

#[derive(Deserialize)]
struct FixtureCategory {
    slug: String,
    name: String,
}

#[derive(Deserialize)]
struct FixtureService {
    slug: String,
    name: String,
    category: String,
    search_terms: Vec<String>,
}

#[derive(Deserialize)]
struct CategoriesFile {
    categories: Vec<FixtureCategory>,
}

#[derive(Deserialize)]
struct ServicesFile {
    services: Vec<FixtureService>,
}

fn catalog() -> (Vec<CategoryTerms>, Vec<ServiceTerms>) {
    let c: CategoriesFile = serde_yaml::from_str(CATEGORIES_YAML).expect("seed/categories.yaml parses");
    let s: ServicesFile = serde_yaml::from_str(SERVICES_YAML).expect("seed/services.yaml parses");
    let cats = c.categories.into_iter().map(|c| CategoryTerms { slug: c.slug, name: c.name }).collect();
    let svcs = s
        .services
        .into_iter()
        .map(|s| ServiceTerms { slug: s.slug, name: s.name, category: s.category, search_terms: s.search_terms })
        .collect();
    (cats, svcs)
}

fn vocab() -> &'static Vocabulary {
    static VOCAB: OnceLock<Vocabulary> = OnceLock::new();
    VOCAB.get_or_init(|| {
        let (c, s) = catalog();
        Vocabulary::new(&c, &s)
    })
}

/// A second, independently built vocabulary: results must not depend on the build.
fn vocab2() -> &'static Vocabulary {
    static VOCAB: OnceLock<Vocabulary> = OnceLock::new();
    VOCAB.get_or_init(|| {
        let (c, s) = catalog();
        Vocabulary::new(&c, &s)
    })
}

/// Thursday 26 November 2026, 10:00 in New York.
const NOW: &str = "2026-11-26T10:00[America/New_York]";

fn now(s: &str) -> ZonedDateTime {
    s.parse().expect("test timestamp parses")
}

fn p(q: &str) -> ParsedQuery {
    parse(q, now(NOW), vocab())
}

// ---------------------------------------------------------------------------------------------
// The table.

use AudienceGroup::{Adults, Kids, Teens};
use Borough::{Bronx, Brooklyn, Manhattan, Queens, StatenIsland};
use LessonType::{InPerson, Online};
use Level::{Advanced, Beginner, Intermediate};

#[derive(Debug, Clone, Copy)]
enum E {
    /// Exactly these services, in this order.
    Svc(&'static [&'static str]),
    /// Exactly these categories.
    Cat(&'static [&'static str]),
    /// min cents, max cents, kind.
    Price(Option<u32>, Option<u32>, PriceKind),
    Aud(AudienceGroup, Option<u8>),
    Lvl(Level),
    Lt(LessonType),
    /// borough, neighborhood slug, near me.
    Place(Option<Borough>, Option<&'static str>, bool),
    /// kind, ISO dates.
    Dates(DateKind, &'static [&'static str]),
    /// start, end ("HH:MM"), kind.
    Time(&'static str, &'static str, TimeKind),
    /// corrected_query.
    Fixed(&'static str),
    /// remaining_text.
    Rest(&'static str),
    /// service.unmatched.
    Unmatched(&'static [&'static str]),
}

use E::*;
use PriceKind as PK;
use TimeKind as TK;

const MATH: &[&str] = &[
    "math-tutoring-elementary",
    "middle-school-math",
    "pre-algebra",
    "algebra-i",
    "algebra-ii",
    "geometry",
    "trigonometry",
    "pre-calculus",
    "calculus-ap",
    "statistics-ap",
];
const DANCE: &[&str] = &[
    "ballet",
    "hip-hop-dance",
    "contemporary-dance",
    "jazz-dance",
    "ballroom-dancing",
    "latin-dancing",
    "tap-dance",
    "dance-fitness",
];
const EVENING: E = Time("17:00", "20:59", TK::PartOfDay);
const MORNING: E = Time("06:00", "11:59", TK::PartOfDay);

const fn c(v: u32) -> Option<u32> {
    Some(v)
}

#[rustfmt::skip]
const CASES: &[(&str, &[E])] = &[
    // --- services: exact names, terms, aliases, categories ---
    ("piano", &[Svc(&["piano"]), Rest("piano"), Unmatched(&[])]),
    ("Piano Lessons", &[Svc(&["piano"]), Rest("piano")]),
    ("PIANO", &[Svc(&["piano"])]),
    ("guitar", &[Svc(&["guitar"])]),
    ("guitar lessons", &[Svc(&["guitar"])]),
    ("bass guitar", &[Svc(&["bass-guitar"])]),
    ("bass", &[Svc(&["bass-guitar"])]),
    ("keys", &[Svc(&["piano"])]),
    ("keyboard", &[Svc(&["keyboard"])]),
    ("vocals", &[Svc(&["voice"])]),
    ("voice lessons", &[Svc(&["voice"])]),
    ("singing", &[Svc(&["singing"])]),
    ("calc", &[Svc(&["calculus-ap"])]),
    ("calculus", &[Svc(&["calculus-ap"])]),
    ("pre calc", &[Svc(&["pre-calculus"])]),
    ("pre-calculus", &[Svc(&["pre-calculus"])]),
    ("español", &[Svc(&["spanish"]), Rest("espanol")]),
    ("espanol classes", &[Svc(&["spanish"])]),
    ("maths", &[Svc(MATH)]),
    ("math tutor", &[Svc(MATH)]),
    ("sat prep", &[Svc(&["sat-prep"])]),
    ("SAT tutoring", &[Svc(&["sat-prep"])]),
    ("sat", &[Svc(&["sat-prep"])]),
    ("tutoring for the sat", &[Svc(&["sat-prep"])]),
    ("SAT prep on Saturday", &[Svc(&["sat-prep"]), Dates(DateKind::Day, &["2026-11-28"])]),
    ("sat prep next sat", &[Svc(&["sat-prep"]), Dates(DateKind::Day, &["2026-11-28"])]),
    ("help on SAT", &[Svc(&["sat-prep"])]),
    ("piano on Sat", &[Svc(&["piano"]), Dates(DateKind::Day, &["2026-11-28"])]),
    ("sat 10am", &[Dates(DateKind::Day, &["2026-11-28"]), Time("10:00", "10:00", TK::At)]),
    ("act prep", &[Svc(&["act-prep"])]),
    ("act", &[Svc(&["act-prep"])]),
    ("acting", &[Svc(&["acting"])]),
    ("acting classes for teens", &[Svc(&["acting"]), Aud(Teens, None)]),
    ("music lessons", &[Cat(&["music"])]),
    ("music", &[Cat(&["music"])]),
    ("tutoring", &[Cat(&["tutoring"])]),
    ("language lessons", &[Cat(&["language"])]),
    ("languages in queens", &[Cat(&["language"]), Place(Some(Queens), None, false)]),
    ("sports", &[Cat(&["sports-fitness"])]),
    ("arts and crafts", &[Cat(&["arts"])]),
    ("hidden gems", &[Cat(&["hidden-gems"])]),
    ("music or art", &[Cat(&["music", "arts"])]),
    ("music theory", &[Svc(&["music-theory"])]),
    ("spanish tutoring", &[Svc(&["spanish"])]),
    ("piano or guitar", &[Svc(&["piano", "guitar"]), Rest("piano guitar")]),
    ("piano and guitar", &[Svc(&["piano", "guitar"])]),
    ("piano, guitar or drums", &[Svc(&["piano", "guitar", "drums"])]),
    ("piano music", &[Svc(&["piano"])]),
    ("jazz", &[Svc(&["jazz-vocals", "jazz-dance"])]),
    ("jazz singing", &[Svc(&["jazz-vocals"])]),
    ("salsa dancing", &[Svc(&["latin-dancing"])]),
    ("ballet dance", &[Svc(&["ballet"])]),
    ("math algebra tutor", &[Svc(&["algebra-i", "algebra-ii"])]),
    ("french or spanish", &[Svc(&["french", "spanish"])]),
    ("spanish or french tutoring", &[Svc(&["spanish", "french"])]),
    ("music or yoga", &[Svc(&["yoga", "piano", "keyboard", "guitar", "voice", "singing", "violin", "drums", "ukulele", "music-theory", "vocal-coaching", "bass-guitar", "saxophone", "musical-theater-voice", "songwriting", "flute", "cello", "music-production", "daw", "trumpet", "clarinet", "dj-skills", "pop-vocals", "rock-vocals", "composition", "jazz-vocals", "viola", "percussion", "trombone", "harmonica", "opera-singing", "choir-singing", "choral-singing", "french-horn", "beatboxing", "sound-engineering", "banjo", "double-bass", "mandolin", "accordion", "harp", "music-arrangement"])]),
    ("electric bass", &[Svc(&["bass-guitar"])]),
    ("painting", &[Svc(&["painting-watercolor", "painting-acrylic", "painting-oil"])]),
    ("dance classes", &[Svc(DANCE)]),
    ("public speaking", &[Svc(&["public-speaking", "public-speaking-hidden"])]),
    ("nyc history tours", &[Svc(&["nyc-history-tours"])]),
    ("social media for business", &[Svc(&["social-media-for-business"]), Rest("social media for business")]),
    ("robotics for kids", &[Svc(&["robotics"]), Aud(Kids, None)]),
    ("after school help", &[Svc(&["homework-help-k-5"])]),
    ("online marketing", &[Svc(&["digital-marketing-basics"])]),
    ("basic computer skills", &[Svc(&["basic-computer-skills"]), Lvl(Beginner)]),
    ("algebra 2", &[Svc(&["algebra-ii"])]),
    ("algebra 1 tutor", &[Svc(&["algebra-i"])]),
    ("algebra", &[Svc(&["pre-algebra", "algebra-i", "algebra-ii"])]),
    ("homework help", &[Svc(&["homework-help-k-5"])]),
    ("personal trainer", &[Svc(&["personal-training"])]),
    ("bjj", &[Svc(&["jiu-jitsu"])]),
    ("chinese", &[Svc(&["mandarin-chinese"])]),
    ("asl", &[Svc(&["sign-language-asl"])]),
    ("cooking", &[Svc(&["cooking-various-cuisines"])]),
    ("wine tasting", &[Svc(&["wine-tasting"])]),
    ("baking & pastry", &[Svc(&["baking-pastry"])]),
    ("hip-hop dance", &[Svc(&["hip-hop-dance"])]),
    ("jiu-jitsu", &[Svc(&["jiu-jitsu"])]),
    ("guitars", &[Svc(&["guitar"])]),
    ("drum", &[Svc(&["drums"])]),
    ("learn to play piano", &[Svc(&["piano"]), Rest("piano"), Unmatched(&[])]),
    ("i want a good teacher", &[Rest(""), Unmatched(&[])]),
    ("seo basics", &[Svc(&["digital-marketing-basics"]), Lvl(Beginner)]),
    ("first lesson", &[Unmatched(&["first"])]),
    ("exercise", &[Svc(&["personal-training"])]),
    // --- typos ---
    ("piono", &[Svc(&["piano"]), Fixed("piano")]),
    ("piono lessons in brooklyn", &[Svc(&["piano"]), Place(Some(Brooklyn), None, false), Fixed("piano lessons in brooklyn")]),
    ("gitar", &[Svc(&["guitar"]), Fixed("guitar")]),
    ("gutar", &[Svc(&["guitar"]), Fixed("guitar")]),
    ("spansh", &[Svc(&["spanish"]), Fixed("spanish")]),
    ("calculas", &[Svc(&["calculus-ap"]), Fixed("calculus")]),
    ("piano or gitar", &[Svc(&["piano", "guitar"]), Fixed("piano or guitar")]),
    ("violen", &[Svc(&["violin"]), Fixed("violin")]),
    ("ukelele", &[Svc(&["ukulele"]), Fixed("ukulele")]),
    ("saxaphone", &[Svc(&["saxophone"]), Fixed("saxophone")]),
    ("chemestry tutor", &[Svc(&["chemistry"]), Fixed("chemistry tutor")]),
    ("photografy", &[Svc(&["photography"]), Fixed("photography")]),
    ("yogaa", &[Svc(&["yoga"]), Fixed("yoga")]),
    ("music theroy", &[Svc(&["music-theory"]), Fixed("music theory")]),
    ("pian", &[Svc(&["piano"]), Fixed("piano")]),
    ("brookyln piano", &[Svc(&["piano"]), Place(Some(Brooklyn), None, false), Fixed("brooklyn piano")]),
    ("manhatten", &[Place(Some(Manhattan), None, false), Fixed("manhattan")]),
    ("begginer guitar", &[Svc(&["guitar"]), Lvl(Beginner), Fixed("beginner guitar")]),
    ("pno", &[Unmatched(&["pno"]), Rest("pno")]),
    ("play", &[Unmatched(&[])]),
    ("slow", &[Unmatched(&["slow"])]),
    ("piano lesons", &[Svc(&["piano"]), Fixed("piano lessons")]),
    // correctly spelled constraint words are never turned into services
    ("tonight", &[Dates(DateKind::Day, &["2026-11-26"]), EVENING]),
    ("cheap", &[Price(None, None, PK::Budget)]),
    ("evening", &[EVENING]),
    ("online", &[Lt(Online)]),
    ("astoria", &[Place(Some(Queens), Some("astoria"), false)]),
    // --- price ---
    ("under $80", &[Price(None, c(8000), PK::Max)]),
    ("piano under $80", &[Svc(&["piano"]), Price(None, c(8000), PK::Max)]),
    ("less than 100", &[Price(None, c(10000), PK::Max)]),
    ("max 60", &[Price(None, c(6000), PK::Max)]),
    ("$75/hr", &[Price(None, c(7500), PK::Max)]),
    ("$75 per hour", &[Price(None, c(7500), PK::Max)]),
    ("50 dollars", &[Price(None, c(5000), PK::Max)]),
    ("50 bucks", &[Price(None, c(5000), PK::Max)]),
    ("over $50", &[Price(c(5000), None, PK::Min)]),
    ("at least 40", &[Price(c(4000), None, PK::Min)]),
    ("$40-60", &[Price(c(4000), c(6000), PK::Range)]),
    ("$40 - $60", &[Price(c(4000), c(6000), PK::Range)]),
    ("between 40 and 60", &[Price(c(4000), c(6000), PK::Range)]),
    ("from $40 to $60", &[Price(c(4000), c(6000), PK::Range)]),
    ("40 to 60 dollars", &[Price(c(4000), c(6000), PK::Range)]),
    ("around $50", &[Price(c(4000), c(6000), PK::Approximate)]),
    ("about 50 dollars", &[Price(c(4000), c(6000), PK::Approximate)]),
    ("~$50", &[Price(c(4000), c(6000), PK::Approximate)]),
    ("50ish", &[Price(c(4000), c(6000), PK::Approximate)]),
    ("$50 or less", &[Price(None, c(5000), PK::Max)]),
    ("$50+", &[Price(c(5000), None, PK::Min)]),
    ("$50 and up", &[Price(c(5000), None, PK::Min)]),
    ("$49.99", &[Price(None, c(4999), PK::Max)]),
    ("under $1,000", &[Price(None, c(100_000), PK::Max)]),
    ("cheap guitar", &[Svc(&["guitar"]), Price(None, None, PK::Budget)]),
    ("affordable yoga", &[Svc(&["yoga"]), Price(None, None, PK::Budget)]),
    ("inexpensive", &[Price(None, None, PK::Budget)]),
    ("budget piano", &[Svc(&["piano"]), Price(None, None, PK::Budget)]),
    ("cheap piano under $50", &[Svc(&["piano"]), Price(None, c(5000), PK::Max)]),
    ("affordable tutoring around $40", &[Cat(&["tutoring"]), Price(c(3200), c(4800), PK::Approximate)]),
    ("budget of $50", &[Price(None, c(5000), PK::Max)]),
    ("over $40 under $70", &[Price(c(4000), c(7000), PK::Range)]),
    ("piano 80", &[Svc(&["piano"]), Price(None, c(8000), PK::Max)]),
    ("piano 5", &[Svc(&["piano"]), Unmatched(&["5"])]),
    ("spanish 101", &[Svc(&["spanish"]), Lvl(Beginner)]),
    ("20 years experience", &[Unmatched(&["20"])]),
    ("45 minute lesson", &[Unmatched(&["45"])]),
    ("under 30 minutes", &[Unmatched(&["30"])]),
    ("at least 2 hours", &[Unmatched(&["2"])]),
    ("guitar lessons 50-70", &[Svc(&["guitar"]), Price(c(5000), c(7000), PK::Range)]),
    ("piano $50-$70/hr", &[Svc(&["piano"]), Price(c(5000), c(7000), PK::Range)]),
    ("top 10 piano teachers", &[Svc(&["piano"]), Unmatched(&["10"])]),
    ("under $99999999999", &[Unmatched(&["99999999999"])]),
    // --- audience: ages are not prices ---
    ("for my 8 year old", &[Aud(Kids, Some(8))]),
    ("8yo", &[Aud(Kids, Some(8))]),
    ("8-year-old", &[Aud(Kids, Some(8))]),
    ("my 8 y/o", &[Aud(Kids, Some(8))]),
    ("age 8", &[Aud(Kids, Some(8))]),
    ("ages 5-7", &[Aud(Kids, None)]),
    ("kids under 5", &[Aud(Kids, None)]),
    ("swimming for kids under 5", &[Svc(&["swimming"]), Aud(Kids, None)]),
    ("under 5s swimming", &[Svc(&["swimming"]), Aud(Kids, None)]),
    ("kids under $20", &[Aud(Kids, None), Price(None, c(2000), PK::Max)]),
    ("kids", &[Aud(Kids, None)]),
    ("children", &[Aud(Kids, None)]),
    ("toddler music", &[Cat(&["music"]), Aud(Kids, None)]),
    ("teenager", &[Aud(Teens, None)]),
    ("high school chemistry", &[Svc(&["chemistry"]), Aud(Teens, None)]),
    ("adults", &[Aud(Adults, None)]),
    ("adult beginners", &[Aud(Adults, None), Lvl(Beginner)]),
    ("for my 16 year old", &[Aud(Kids, Some(16))]),
    ("for a 30 year old", &[Aud(Adults, Some(30))]),
    ("my 15 year old teen", &[Aud(Teens, Some(15))]),
    ("5th grade math", &[Svc(MATH), Aud(Kids, None)]),
    ("grade 10 chemistry", &[Svc(&["chemistry"]), Aud(Teens, None)]),
    ("seniors yoga", &[Svc(&["yoga"]), Aud(Adults, None)]),
    ("coding for kids 8-12", &[Svc(&["coding"]), Aud(Kids, None)]),
    ("spanish for adults over 50", &[Svc(&["spanish"]), Aud(Adults, None)]),
    ("swim lessons for toddlers", &[Svc(&["swimming"]), Aud(Kids, None)]),
    ("for under 18s", &[Aud(Kids, None)]),
    ("my daughter", &[Aud(Kids, None)]),
    // --- level ---
    ("beginner guitar", &[Svc(&["guitar"]), Lvl(Beginner)]),
    ("novice", &[Lvl(Beginner)]),
    ("intro to python", &[Svc(&["python"]), Lvl(Beginner)]),
    ("intermediate spanish", &[Svc(&["spanish"]), Lvl(Intermediate)]),
    ("advanced piano", &[Svc(&["piano"]), Lvl(Advanced)]),
    ("advanced english", &[Svc(&["english"]), Lvl(Advanced)]),
    ("expert chess", &[Svc(&["chess"]), Lvl(Advanced)]),
    ("guitar for beginners", &[Svc(&["guitar"]), Lvl(Beginner)]),
    // --- lesson type ---
    ("virtual", &[Lt(Online)]),
    ("remote tutoring", &[Cat(&["tutoring"]), Lt(Online)]),
    ("zoom piano", &[Svc(&["piano"]), Lt(Online)]),
    ("in-person", &[Lt(InPerson)]),
    ("in person", &[Lt(InPerson)]),
    ("at home", &[Lt(InPerson)]),
    ("face to face", &[Lt(InPerson)]),
    ("online or in person", &[]),
    // --- place ---
    ("brooklyn", &[Place(Some(Brooklyn), None, false)]),
    ("bk", &[Place(Some(Brooklyn), None, false)]),
    ("the bronx", &[Place(Some(Bronx), None, false)]),
    ("staten island", &[Place(Some(StatenIsland), None, false)]),
    ("queens", &[Place(Some(Queens), None, false)]),
    ("manhattan", &[Place(Some(Manhattan), None, false)]),
    ("nyc", &[Rest(""), Unmatched(&[])]),
    ("new york city", &[Unmatched(&[])]),
    ("park slope", &[Place(Some(Brooklyn), Some("park-slope"), false)]),
    ("williamsburg", &[Place(Some(Brooklyn), Some("williamsburg"), false)]),
    ("harlem", &[Place(Some(Manhattan), Some("harlem"), false)]),
    ("east harlem", &[Place(Some(Manhattan), Some("east-harlem"), false)]),
    ("DUMBO", &[Place(Some(Brooklyn), Some("dumbo"), false)]),
    ("UES", &[Place(Some(Manhattan), Some("upper-east-side"), false)]),
    ("uws", &[Place(Some(Manhattan), Some("upper-west-side"), false)]),
    ("LES", &[Place(Some(Manhattan), Some("lower-east-side"), false)]),
    ("FiDi", &[Place(Some(Manhattan), Some("financial-district"), false)]),
    ("LIC", &[Place(Some(Queens), Some("long-island-city"), false)]),
    ("long island city", &[Place(Some(Queens), Some("long-island-city"), false)]),
    ("hell's kitchen", &[Place(Some(Manhattan), Some("hells-kitchen"), false)]),
    ("bed-stuy", &[Place(Some(Brooklyn), Some("bedford-stuyvesant"), false)]),
    ("near me", &[Place(None, None, true)]),
    ("guitar near me in brooklyn", &[Svc(&["guitar"]), Place(Some(Brooklyn), None, true)]),
    ("park slope brooklyn", &[Place(Some(Brooklyn), Some("park-slope"), false)]),
    ("riverdale", &[Place(Some(Bronx), Some("riverdale"), false)]),
    // --- dates (now: Thursday 2026-11-26) ---
    ("today", &[Dates(DateKind::Day, &["2026-11-26"])]),
    ("tomorrow", &[Dates(DateKind::Day, &["2026-11-27"])]),
    ("tmrw", &[Dates(DateKind::Day, &["2026-11-27"])]),
    ("friday", &[Dates(DateKind::Day, &["2026-11-27"])]),
    ("thursday", &[Dates(DateKind::Day, &["2026-11-26"])]),
    ("next thursday", &[Dates(DateKind::Day, &["2026-12-03"])]),
    ("next saturday", &[Dates(DateKind::Day, &["2026-11-28"])]),
    ("on monday", &[Dates(DateKind::Day, &["2026-11-30"])]),
    ("wed", &[Dates(DateKind::Day, &["2026-12-02"])]),
    ("this weekend", &[Dates(DateKind::Weekend, &["2026-11-28", "2026-11-29"])]),
    ("next weekend", &[Dates(DateKind::Weekend, &["2026-12-05", "2026-12-06"])]),
    ("this week", &[Dates(DateKind::Week, &["2026-11-26", "2026-11-27", "2026-11-28", "2026-11-29"])]),
    ("next week", &[Dates(DateKind::Week, &["2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04", "2026-12-05", "2026-12-06"])]),
    ("weekdays", &[Dates(DateKind::Weekdays, &["2026-11-26", "2026-11-27", "2026-11-30", "2026-12-01", "2026-12-02"])]),
    ("saturday or sunday", &[Dates(DateKind::Several, &["2026-11-28", "2026-11-29"])]),
    ("dec 5", &[Dates(DateKind::Day, &["2026-12-05"])]),
    ("December 5th", &[Dates(DateKind::Day, &["2026-12-05"])]),
    ("5th of december", &[Dates(DateKind::Day, &["2026-12-05"])]),
    ("12/5", &[Dates(DateKind::Day, &["2026-12-05"])]),
    ("11/20", &[Dates(DateKind::Day, &["2027-11-20"])]),
    ("1/3", &[Dates(DateKind::Day, &["2027-01-03"])]),
    ("the 1st", &[Dates(DateKind::Day, &["2026-12-01"])]),
    ("feb 29", &[Dates(DateKind::Day, &["2028-02-29"])]),
    ("2027-01-15", &[Dates(DateKind::Day, &["2027-01-15"])]),
    ("12/25/2026", &[Dates(DateKind::Day, &["2026-12-25"])]),
    ("piano mon-fri", &[Svc(&["piano"]), Dates(DateKind::Several, &["2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04"])]),
    ("tues or thurs", &[Dates(DateKind::Several, &["2026-11-26", "2026-12-01"])]),
    ("on the 15th", &[Dates(DateKind::Day, &["2026-12-15"])]),
    ("may 5", &[Dates(DateKind::Day, &["2027-05-05"])]),
    ("feb 30", &[Unmatched(&["30"])]),
    // --- times ---
    ("after 5", &[Time("17:00", "23:59", TK::After)]),
    ("after 5pm", &[Time("17:00", "23:59", TK::After)]),
    ("after 5 p.m.", &[Time("17:00", "23:59", TK::After)]),
    ("after 8", &[Time("08:00", "23:59", TK::After)]),
    ("before 10am", &[Time("00:00", "09:59", TK::Before)]),
    ("before 10", &[Time("00:00", "09:59", TK::Before)]),
    ("at 3", &[Time("15:00", "15:00", TK::At)]),
    ("at 15:30", &[Time("15:30", "15:30", TK::At)]),
    ("around 4pm", &[Time("15:00", "17:00", TK::Around)]),
    ("around 5", &[Time("16:00", "18:00", TK::Around)]),
    ("between 3 and 5", &[Time("15:00", "16:59", TK::Between)]),
    ("3-5pm", &[Time("15:00", "16:59", TK::Between)]),
    ("from 11am to 1pm", &[Time("11:00", "12:59", TK::Between)]),
    ("after 5 before 8", &[Time("17:00", "19:59", TK::Between)]),
    ("lessons between 4 and 6 pm", &[Time("16:00", "17:59", TK::Between)]),
    ("piano until 8pm", &[Svc(&["piano"]), Time("00:00", "19:59", TK::Before)]),
    ("around 7", &[Time("18:00", "20:00", TK::Around)]),
    ("morning", &[MORNING]),
    ("afternoon", &[Time("12:00", "16:59", TK::PartOfDay)]),
    ("after school", &[Time("15:00", "18:59", TK::PartOfDay)]),
    ("tonight at 8", &[Dates(DateKind::Day, &["2026-11-26"]), Time("20:00", "20:00", TK::At)]),
    ("tomorrow morning", &[Dates(DateKind::Day, &["2026-11-27"]), MORNING]),
    ("tomorrow morning at 7", &[Dates(DateKind::Day, &["2026-11-27"]), Time("07:00", "07:00", TK::At)]),
    ("sat morning", &[Dates(DateKind::Day, &["2026-11-28"]), MORNING]),
    ("noon", &[Time("12:00", "12:00", TK::At)]),
    ("by noon", &[Time("00:00", "11:59", TK::Before)]),
    ("5:30", &[Time("17:30", "17:30", TK::At)]),
    ("7pm", &[Time("19:00", "19:00", TK::At)]),
    ("weekdays after 6", &[Dates(DateKind::Weekdays, &["2026-11-26", "2026-11-27", "2026-11-30", "2026-12-01", "2026-12-02"]), Time("18:00", "23:59", TK::After)]),
    // --- whole queries ---
    ("piano under $80 in brooklyn tomorrow after 5pm", &[
        Svc(&["piano"]), Price(None, c(8000), PK::Max), Place(Some(Brooklyn), None, false),
        Dates(DateKind::Day, &["2026-11-27"]), Time("17:00", "23:59", TK::After), Rest("piano"), Unmatched(&[]),
    ]),
    ("cheap beginner spanish online for my 10 year old this weekend", &[
        Svc(&["spanish"]), Price(None, None, PK::Budget), Lvl(Beginner), Lt(Online), Aud(Kids, Some(10)),
        Dates(DateKind::Weekend, &["2026-11-28", "2026-11-29"]),
    ]),
    ("guitar teacher in park slope next saturday morning", &[
        Svc(&["guitar"]), Place(Some(Brooklyn), Some("park-slope"), false), Dates(DateKind::Day, &["2026-11-28"]), MORNING,
    ]),
    ("SAT prep tutor in the UES under $100 on sat", &[
        Svc(&["sat-prep"]), Place(Some(Manhattan), Some("upper-east-side"), false), Price(None, c(10000), PK::Max),
        Dates(DateKind::Day, &["2026-11-28"]),
    ]),
    ("swimming lessons for kids under 5 in astoria", &[
        Svc(&["swimming"]), Aud(Kids, None), Place(Some(Queens), Some("astoria"), false),
    ]),
    ("in-person math tutor for my 12 year old in bk after school", &[
        Svc(MATH), Lt(InPerson), Aud(Kids, Some(12)), Place(Some(Brooklyn), None, false),
        Time("15:00", "18:59", TK::PartOfDay),
    ]),
    ("affordable online yoga for seniors tomorrow at 9am", &[
        Svc(&["yoga"]), Price(None, None, PK::Budget), Lt(Online), Aud(Adults, None),
        Dates(DateKind::Day, &["2026-11-27"]), Time("09:00", "09:00", TK::At),
    ]),
    ("under $50 in brooklyn", &[Price(None, c(5000), PK::Max), Place(Some(Brooklyn), None, false), Rest("")]),
    ("advanced violin lessons near me between $60 and $90", &[
        Svc(&["violin"]), Lvl(Advanced), Place(None, None, true), Price(c(6000), c(9000), PK::Range),
    ]),
    // --- noise ---
    ("asdf qwerty", &[Unmatched(&["asdf", "qwerty"]), Rest("asdf qwerty")]),
    ("!!!", &[Rest(""), Unmatched(&[])]),
    ("", &[Rest("")]),
    ("   \t\n ", &[Rest("")]),
    ("🎹🎹🎹", &[Rest("")]),
    ("piano 🎹 lessons 🎶", &[Svc(&["piano"])]),
    ("piano\u{0}\u{7}lessons\u{1b}[0m", &[Svc(&["piano"]), Unmatched(&["0"])]),
    ("ｐｉａｎｏ", &[Unmatched(&["ｐｉａｎｏ"])]),
    ("пианино", &[Unmatched(&["пианино"])]),
];

/// Cases whose `now` is not the default: month end, year end, DST change days, a `now` given
/// in UTC, weekends.
#[rustfmt::skip]
const DATED_CASES: &[(&str, &str, &[E])] = &[
    // Monday 30 November: month end.
    ("2026-11-30T12:00[America/New_York]", "tomorrow", &[Dates(DateKind::Day, &["2026-12-01"])]),
    ("2026-11-30T12:00[America/New_York]", "friday", &[Dates(DateKind::Day, &["2026-12-04"])]),
    ("2026-11-30T12:00[America/New_York]", "this weekend", &[Dates(DateKind::Weekend, &["2026-12-05", "2026-12-06"])]),
    ("2026-11-30T12:00[America/New_York]", "the 2nd", &[Dates(DateKind::Day, &["2026-12-02"])]),
    // Thursday 31 December: year end.
    ("2026-12-31T20:00[America/New_York]", "tomorrow", &[Dates(DateKind::Day, &["2027-01-01"])]),
    ("2026-12-31T20:00[America/New_York]", "saturday", &[Dates(DateKind::Day, &["2027-01-02"])]),
    ("2026-12-31T20:00[America/New_York]", "next week", &[Dates(DateKind::Week, &["2027-01-04", "2027-01-05", "2027-01-06", "2027-01-07", "2027-01-08", "2027-01-09", "2027-01-10"])]),
    ("2026-12-31T20:00[America/New_York]", "dec 5", &[Dates(DateKind::Day, &["2027-12-05"])]),
    ("2026-12-31T20:00[America/New_York]", "12/31", &[Dates(DateKind::Day, &["2026-12-31"])]),
    ("2026-12-31T20:00[America/New_York]", "jan 3rd", &[Dates(DateKind::Day, &["2027-01-03"])]),
    // Sunday 8 March 2026, 01:30, half an hour before clocks spring forward.
    ("2026-03-08T01:30-05:00[America/New_York]", "today", &[Dates(DateKind::Day, &["2026-03-08"])]),
    ("2026-03-08T01:30-05:00[America/New_York]", "tomorrow at 2:30am", &[Dates(DateKind::Day, &["2026-03-09"]), Time("02:30", "02:30", TK::At)]),
    ("2026-03-08T01:30-05:00[America/New_York]", "tonight", &[Dates(DateKind::Day, &["2026-03-08"]), EVENING]),
    ("2026-03-08T01:30-05:00[America/New_York]", "this weekend", &[Dates(DateKind::Weekend, &["2026-03-08"])]),
    // Sunday 1 November 2026, 01:30 EDT, the first of the two 01:30s.
    ("2026-11-01T01:30-04:00[America/New_York]", "sunday", &[Dates(DateKind::Day, &["2026-11-01"])]),
    ("2026-11-01T01:30-04:00[America/New_York]", "next sunday", &[Dates(DateKind::Day, &["2026-11-08"])]),
    ("2026-11-01T01:30-04:00[America/New_York]", "next weekend", &[Dates(DateKind::Weekend, &["2026-11-07", "2026-11-08"])]),
    ("2026-11-01T01:30-04:00[America/New_York]", "tomorrow", &[Dates(DateKind::Day, &["2026-11-02"])]),
    // Saturday.
    ("2026-11-28T09:00[America/New_York]", "this weekend", &[Dates(DateKind::Weekend, &["2026-11-28", "2026-11-29"])]),
    ("2026-11-28T09:00[America/New_York]", "on sat", &[Dates(DateKind::Day, &["2026-11-28"])]),
    // A `now` in UTC: 03:00 UTC on the 27th is still the 26th in New York.
    ("2026-11-27T03:00[UTC]", "today", &[Dates(DateKind::Day, &["2026-11-26"])]),
    ("2026-11-27T03:00[UTC]", "tomorrow", &[Dates(DateKind::Day, &["2026-11-27"])]),
];

fn date(s: &str) -> Date {
    s.parse().expect("test date parses")
}

fn time(s: &str) -> Time {
    s.parse().expect("test time parses")
}

/// Checks `got` against the expectations; returns a description of every mismatch.
fn check(q: &str, got: &ParsedQuery, expect: &[E]) -> Vec<String> {
    let mut errs = Vec::new();
    let mut err = |what: &str, want: String, got: String| {
        errs.push(format!("{q:?}: {what}: want {want}, got {got}"));
    };
    let find = |f: fn(&E) -> bool| expect.iter().find(|e| f(e)).copied();

    let want_target = match find(|e| matches!(e, Svc(_) | Cat(_))) {
        Some(Svc(s)) => ServiceTarget::Services { slugs: s.iter().map(|x| x.to_string()).collect() },
        Some(Cat(s)) => ServiceTarget::Category { slugs: s.iter().map(|x| x.to_string()).collect() },
        _ => ServiceTarget::None,
    };
    if got.service.target != want_target {
        err("service", format!("{want_target:?}"), format!("{:?}", got.service.target));
    }

    let want_price = match find(|e| matches!(e, Price(..))) {
        Some(Price(lo, hi, k)) => Some((lo, hi, k)),
        _ => None,
    };
    let got_price = got.price.as_ref().map(|p| (p.min_cents, p.max_cents, p.kind));
    if want_price != got_price {
        err("price", format!("{want_price:?}"), format!("{got_price:?}"));
    }

    let want_aud = match find(|e| matches!(e, Aud(..))) {
        Some(Aud(g, a)) => Some((g, a)),
        _ => None,
    };
    let got_aud = got.audience.as_ref().map(|a| (a.group, a.age));
    if want_aud != got_aud {
        err("audience", format!("{want_aud:?}"), format!("{got_aud:?}"));
    }

    let want_lvl = match find(|e| matches!(e, Lvl(_))) {
        Some(Lvl(l)) => Some(l),
        _ => None,
    };
    let got_lvl = got.level.as_ref().map(|l| l.level);
    if want_lvl != got_lvl {
        err("level", format!("{want_lvl:?}"), format!("{got_lvl:?}"));
    }

    let want_lt = match find(|e| matches!(e, Lt(_))) {
        Some(Lt(l)) => Some(l),
        _ => None,
    };
    let got_lt = got.lesson_type.as_ref().map(|l| l.lesson_type);
    if want_lt != got_lt {
        err("lesson type", format!("{want_lt:?}"), format!("{got_lt:?}"));
    }

    let want_place = match find(|e| matches!(e, Place(..))) {
        Some(Place(b, n, m)) => Some((b, n.map(str::to_owned), m)),
        _ => None,
    };
    let got_place = got.place.as_ref().map(|p| (p.borough, p.neighborhood.as_ref().map(|n| n.slug.clone()), p.near_me));
    if want_place != got_place {
        err("place", format!("{want_place:?}"), format!("{got_place:?}"));
    }

    let want_dates = match find(|e| matches!(e, Dates(..))) {
        Some(Dates(k, d)) => Some((k, d.iter().map(|s| date(s)).collect::<Vec<_>>())),
        _ => None,
    };
    let got_dates = got.date.as_ref().map(|d| (d.kind, d.dates.clone()));
    if want_dates != got_dates {
        err("date", format!("{want_dates:?}"), format!("{got_dates:?}"));
    }

    let want_time = match find(|e| matches!(e, Time(..))) {
        Some(Time(s, e, k)) => Some((time(s), time(e), k)),
        _ => None,
    };
    let got_time = got.time.as_ref().map(|t| (t.start, t.end, t.kind));
    if want_time != got_time {
        err("time", format!("{want_time:?}"), format!("{got_time:?}"));
    }

    let want_fix = match find(|e| matches!(e, Fixed(_))) {
        Some(Fixed(f)) => Some(f.to_owned()),
        _ => None,
    };
    if want_fix != got.corrected_query {
        err("corrected query", format!("{want_fix:?}"), format!("{:?}", got.corrected_query));
    }
    if want_fix.is_none() && !got.corrections.is_empty() {
        err("corrections", "none".into(), format!("{:?}", got.corrections));
    }

    if let Some(Rest(r)) = find(|e| matches!(e, Rest(_)))
        && got.remaining_text != r
    {
        err("remaining text", format!("{r:?}"), format!("{:?}", got.remaining_text));
    }
    if let Some(Unmatched(u)) = find(|e| matches!(e, Unmatched(_)))
        && got.service.unmatched != u
    {
        err("unmatched", format!("{u:?}"), format!("{:?}", got.service.unmatched));
    }
    errs
}

#[test]
fn table_has_enough_cases() {
    assert!(CASES.len() + DATED_CASES.len() >= 160, "{}", CASES.len() + DATED_CASES.len());
}

#[test]
fn table() {
    let mut errs = Vec::new();
    for (q, expect) in CASES {
        errs.extend(check(q, &p(q), expect));
    }
    assert!(errs.is_empty(), "{} mismatches:\n{}", errs.len(), errs.join("\n"));
}

#[test]
fn dated_table() {
    let mut errs = Vec::new();
    for (at, q, expect) in DATED_CASES {
        errs.extend(check(q, &parse(q, now(at), vocab()), expect));
    }
    assert!(errs.is_empty(), "{} mismatches:\n{}", errs.len(), errs.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// Matched words: each constraint says which words produced it.

#[test]
fn matched_words_explain_each_constraint() {
    let got = p("cheap piano under $80 for my 8 year old in Park Slope tomorrow after 5pm online");
    assert_eq!(got.service.matched, ["piano"]);
    assert_eq!(got.price.map(|x| x.matched), Some(vec!["cheap".into(), "under $80".into()]));
    assert_eq!(got.audience.map(|x| x.matched), Some(vec!["8 year old".into()]));
    assert_eq!(got.place.map(|x| x.matched), Some(vec!["Park Slope".into()]));
    assert_eq!(got.date.map(|x| x.matched), Some(vec!["tomorrow".into()]));
    assert_eq!(got.time.map(|x| x.matched), Some(vec!["after 5pm".into()]));
    assert_eq!(got.lesson_type.map(|x| x.matched), Some(vec!["online".into()]));
    assert_eq!(got.remaining_text, "piano");
}

#[test]
fn corrections_list_each_fixed_word() {
    let got = p("Piono or gitar in Brookyln");
    assert_eq!(
        got.corrections,
        [
            Correction { from: "Piono".into(), to: "piano".into() },
            Correction { from: "gitar".into(), to: "guitar".into() },
            Correction { from: "Brookyln".into(), to: "brooklyn".into() },
        ]
    );
    assert_eq!(got.corrected_query.as_deref(), Some("piano or guitar in brooklyn"));
    assert_eq!(got.remaining_text, "piano guitar");
}

#[test]
fn serializes_for_the_api() {
    let got = p("piano or guitar around $50 tomorrow after 5");
    let yaml = serde_yaml::to_string(&got).expect("serializes");
    assert!(yaml.contains("kind: services"), "{yaml}");
    assert!(yaml.contains("min_cents: 4000"), "{yaml}");
    assert!(yaml.contains("2026-11-27"), "{yaml}");
    assert!(yaml.contains("17:00:00"), "{yaml}");
}

// ---------------------------------------------------------------------------------------------
// Data files.

#[test]
fn embedded_data_files_parse_and_resolve_against_the_catalog() {
    let files = super::data::embedded();
    let (cats, svcs) = catalog();
    for (alias, slugs) in &files.aliases.services {
        for slug in slugs {
            assert!(svcs.iter().any(|s| &s.slug == slug), "alias {alias:?} names unknown service {slug}");
        }
    }
    for slug in files.aliases.categories.keys() {
        assert!(cats.iter().any(|c| &c.slug == slug), "unknown category {slug}");
    }
    assert!(files.places.neighborhoods.len() >= 60);
    assert_eq!(files.places.boroughs.len(), 5);
    let v = vocab();
    assert_eq!(v.service_count(), 250);
    assert!(v.word_count() > 1000);
}

#[test]
fn every_service_name_finds_its_service() {
    let (_, svcs) = catalog();
    for s in &svcs {
        let got = p(&s.name);
        let ServiceTarget::Services { slugs } = &got.service.target else {
            panic!("{:?}: {:?}", s.name, got.service.target);
        };
        assert!(slugs.contains(&s.slug), "{:?} → {slugs:?}", s.name);
        assert!(got.corrected_query.is_none(), "{:?} corrected to {:?}", s.name, got.corrected_query);
    }
}

#[test]
fn every_neighborhood_and_alias_is_recognised() {
    let files = super::data::embedded();
    for n in &files.places.neighborhoods {
        for phrase in std::iter::once(&n.name).chain(&n.aliases) {
            let got = p(phrase);
            let slug = got.place.as_ref().and_then(|pl| pl.neighborhood.as_ref()).map(|x| x.slug.as_str());
            assert_eq!(slug, Some(n.slug.as_str()), "{phrase:?}");
            assert_eq!(got.service.target, ServiceTarget::None, "{phrase:?}");
        }
    }
}

#[test]
fn vocabulary_without_catalog_still_parses_constraints() {
    let v = Vocabulary::new(&[], &[]);
    let got = parse("piano under $80 in brooklyn tomorrow", now(NOW), &v);
    assert_eq!(got.service.target, ServiceTarget::None);
    assert_eq!(got.price.map(|x| x.max_cents), Some(Some(8000)));
    assert_eq!(got.place.and_then(|x| x.borough), Some(Brooklyn));
}

#[test]
fn vocabulary_is_shared_across_threads() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Vocabulary>();
    send_sync::<ParsedQuery>();
}

#[test]
fn very_long_query_is_bounded() {
    let q = "piano ".repeat(10_000);
    let got = p(&q);
    assert_eq!(got.service.target, ServiceTarget::Services { slugs: vec!["piano".into()] });
}

#[test]
fn osa_distance_counts_transpositions_once() {
    use super::fuzzy::osa_distance;
    assert_eq!(osa_distance(b"brooklyn", b"brookyln", 2), Some(1));
    assert_eq!(osa_distance(b"piano", b"piono", 1), Some(1));
    assert_eq!(osa_distance(b"guitar", b"gitar", 1), Some(1));
    assert_eq!(osa_distance(b"abc", b"abc", 0), Some(0));
    assert_eq!(osa_distance(b"piano", b"drums", 2), None);
}

// ---------------------------------------------------------------------------------------------
// Properties.

/// Words the parser knows, and some it does not, to build query-like strings.
const PIECES: &[&str] = &[
    "piano",
    "guitar",
    "sat",
    "prep",
    "act",
    "acting",
    "music",
    "lessons",
    "for",
    "kids",
    "under",
    "over",
    "around",
    "between",
    "and",
    "or",
    "to",
    "$",
    "$50",
    "50",
    "5",
    "8",
    "12",
    "year",
    "old",
    "after",
    "before",
    "at",
    "pm",
    "am",
    "tomorrow",
    "tonight",
    "next",
    "this",
    "saturday",
    "weekend",
    "dec",
    "12/5",
    "brooklyn",
    "park",
    "slope",
    "ues",
    "near",
    "me",
    "online",
    "in",
    "person",
    "beginner",
    "cheap",
    "piono",
    "gitar",
    "-",
    "/",
    ":",
    "+",
    "~",
    "🎹",
    "é",
    "\u{0}",
    "99999999999999999999",
    "1,000",
    "49.99",
    "the",
    "1st",
    "of",
    "ages",
    "grade",
    "5th",
    "noon",
    "morning",
    "yoga",
    "spanish",
    "español",
    "calc",
    "nyc",
    "asdf",
];

fn query_like() -> impl Strategy<Value = String> {
    prop::collection::vec((0..PIECES.len(), prop::bool::ANY), 0..14).prop_map(|parts| {
        let mut s = String::new();
        for (i, glue) in parts {
            if !glue && !s.is_empty() {
                s.push(' ');
            }
            s.push_str(PIECES[i]);
        }
        s
    })
}

/// The parse without the echoed words: what a query means.
fn meaning(p: &ParsedQuery) -> String {
    format!(
        "{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}",
        p.service.target,
        p.price.as_ref().map(|x| (x.min_cents, x.max_cents, x.kind)),
        p.audience.as_ref().map(|x| (x.group, x.age)),
        p.level.as_ref().map(|x| x.level),
        p.lesson_type.as_ref().map(|x| x.lesson_type),
        p.place.as_ref().map(|x| (x.borough, x.neighborhood.as_ref().map(|n| n.slug.clone()), x.near_me)),
        p.date.as_ref().map(|x| (x.kind, x.dates.clone())),
        p.time.as_ref().map(|x| (x.start, x.end, x.kind)),
    )
}

fn invariants(q: &str, got: &ParsedQuery) -> Result<(), TestCaseError> {
    if let Some(pr) = &got.price {
        if let (Some(lo), Some(hi)) = (pr.min_cents, pr.max_cents) {
            prop_assert!(lo <= hi, "{q:?}: {pr:?}");
        }
        let numbers = pr.min_cents.is_some() || pr.max_cents.is_some();
        prop_assert_eq!(numbers, pr.kind != PriceKind::Budget, "{:?}: {:?}", q, pr);
    }
    if let Some(t) = &got.time {
        prop_assert!(t.start <= t.end, "{q:?}: {t:?}");
    }
    if let Some(d) = &got.date {
        prop_assert!(!d.dates.is_empty());
        prop_assert!(d.dates.windows(2).all(|w| w[0] < w[1]), "{q:?}: {d:?}");
    }
    let all_matched = got
        .service
        .matched
        .iter()
        .chain(got.price.iter().flat_map(|x| &x.matched))
        .chain(got.audience.iter().flat_map(|x| &x.matched))
        .chain(got.level.iter().flat_map(|x| &x.matched))
        .chain(got.lesson_type.iter().flat_map(|x| &x.matched))
        .chain(got.place.iter().flat_map(|x| &x.matched))
        .chain(got.date.iter().flat_map(|x| &x.matched))
        .chain(got.time.iter().flat_map(|x| &x.matched))
        .chain(&got.service.unmatched);
    for m in all_matched {
        prop_assert!(q.contains(m.as_str()), "{q:?} does not contain {m:?}");
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn never_panics_on_arbitrary_unicode(q in any::<String>()) {
        let got = p(&q);
        invariants(&q, &got)?;
    }

    #[test]
    fn never_panics_on_arbitrary_bytes_as_lossy_text(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let q = String::from_utf8_lossy(&bytes).into_owned();
        let got = p(&q);
        invariants(&q, &got)?;
    }

    #[test]
    fn query_like_strings_keep_invariants(q in query_like()) {
        let got = p(&q);
        invariants(&q, &got)?;
    }

    #[test]
    fn deterministic_across_calls_and_vocabulary_builds(q in query_like()) {
        let a = p(&q);
        let b = p(&q);
        let c = parse(&q, now(NOW), vocab2());
        prop_assert_eq!(&a, &b);
        prop_assert_eq!(&a, &c);
    }

    /// Re-parsing the corrected query finds nothing more to correct and means the same.
    #[test]
    fn corrected_query_is_a_fixed_point(q in query_like()) {
        let first = p(&q);
        if let Some(fixed) = &first.corrected_query {
            let second = p(fixed);
            prop_assert!(second.corrected_query.is_none(), "{:?} → {:?} → {:?}", q, fixed, second.corrected_query);
            prop_assert_eq!(meaning(&first), meaning(&second), "{:?} vs {:?}", q, fixed);
        }
    }

    /// Shouting a lower-case query does not change its meaning. (Case matters in one place
    /// only: "SAT" typed in capitals inside a lower-case query is the exam.)
    #[test]
    fn ascii_case_does_not_matter(q in query_like()) {
        prop_assert_eq!(meaning(&p(&q)), meaning(&p(&q.to_ascii_uppercase())));
    }

    /// Extra spaces and trailing punctuation never change the meaning.
    #[test]
    fn spacing_and_punctuation_do_not_matter(q in query_like()) {
        let spaced = format!("  {}  ?!", q.replace(' ', "   "));
        prop_assert_eq!(meaning(&p(&q)), meaning(&p(&spaced)));
    }
}
