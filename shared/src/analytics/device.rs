//! The device behind a User-Agent: browser, operating system, and the kind of device
//! (desktop, mobile, tablet, bot), parsed by `woothee`, whose dataset is compiled into the
//! crate (nothing is downloaded, at build or at run time).
//!
//! woothee has no tablet category (it calls an iPad a smartphone), so tablets are told
//! apart here the way browsers mark them: iPads, and Android devices whose User-Agent lacks
//! the `Mobile` token (Google's rule for Android tablets). Obvious automation that woothee
//! does not know (`curl`, `python-requests`, words like "bot", "spider", "crawler") counts
//! as a bot.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeviceKind {
    Desktop,
    Mobile,
    Tablet,
    Bot,
    /// No User-Agent, or one we cannot place (TV sets, game consoles, unknown clients).
    Other,
}

impl DeviceKind {
    pub const ALL: [DeviceKind; 5] =
        [DeviceKind::Desktop, DeviceKind::Mobile, DeviceKind::Tablet, DeviceKind::Bot, DeviceKind::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            DeviceKind::Desktop => "desktop",
            DeviceKind::Mobile => "mobile",
            DeviceKind::Tablet => "tablet",
            DeviceKind::Bot => "bot",
            DeviceKind::Other => "other",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Device {
    pub kind: DeviceKind,
    /// Browser family ("Chrome", "Safari", "Firefox", …) or "unknown".
    pub browser: String,
    /// Operating system ("Mac OSX", "iPhone", "Android", "Windows 10", …) or "unknown".
    pub os: String,
}

const UNKNOWN: &str = "unknown";
/// Substrings that mark automation woothee does not list.
const BOT_MARKERS: [&str; 9] =
    ["bot", "spider", "crawl", "slurp", "curl/", "wget/", "python-requests", "httpclient", "headless"];

impl Device {
    pub fn unknown() -> Self {
        Self { kind: DeviceKind::Other, browser: UNKNOWN.into(), os: UNKNOWN.into() }
    }

    pub fn from_user_agent(user_agent: Option<&str>) -> Self {
        let Some(agent) = user_agent.map(str::trim).filter(|a| !a.is_empty()) else {
            return Self::unknown();
        };
        let lower = agent.to_ascii_lowercase();
        let parsed = woothee::parser::Parser::new().parse(agent);
        let known =
            |text: &str| if text.is_empty() || text == "UNKNOWN" { UNKNOWN.to_owned() } else { text.to_owned() };
        let (browser, os, category) = match &parsed {
            Some(result) => (known(result.name), known(result.os), result.category),
            None => (UNKNOWN.to_owned(), UNKNOWN.to_owned(), ""),
        };
        let is_tablet =
            lower.contains("ipad") || (lower.contains("android") && !lower.contains("mobile") && category != "crawler");
        let kind = if category == "crawler" || BOT_MARKERS.iter().any(|m| lower.contains(m)) {
            DeviceKind::Bot
        } else if is_tablet {
            DeviceKind::Tablet
        } else {
            match category {
                "pc" => DeviceKind::Desktop,
                "smartphone" | "mobilephone" => DeviceKind::Mobile,
                _ => DeviceKind::Other,
            }
        };
        Self { kind, browser, os }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(agent: &str) -> DeviceKind {
        Device::from_user_agent(Some(agent)).kind
    }

    #[test]
    fn desktop_mobile_tablet_and_bots() {
        let mac_safari = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15";
        let device = Device::from_user_agent(Some(mac_safari));
        assert_eq!(device.kind, DeviceKind::Desktop);
        assert_eq!(device.browser, "Safari");
        assert_eq!(device.os, "Mac OSX");
        let windows_chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";
        assert_eq!(Device::from_user_agent(Some(windows_chrome)).browser, "Chrome");
        assert_eq!(kind(windows_chrome), DeviceKind::Desktop);
        let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
        assert_eq!(kind(iphone), DeviceKind::Mobile);
        let android_phone = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36";
        assert_eq!(kind(android_phone), DeviceKind::Mobile);
        let ipad = "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
        assert_eq!(kind(ipad), DeviceKind::Tablet);
        let android_tablet = "Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";
        assert_eq!(kind(android_tablet), DeviceKind::Tablet);
        let googlebot = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
        assert_eq!(kind(googlebot), DeviceKind::Bot);
        assert_eq!(kind("curl/8.5.0"), DeviceKind::Bot);
        assert_eq!(kind("python-requests/2.32"), DeviceKind::Bot);
    }

    #[test]
    fn nothing_or_nonsense_is_other() {
        assert_eq!(Device::from_user_agent(None), Device::unknown());
        assert_eq!(Device::from_user_agent(Some("   ")), Device::unknown());
        assert_eq!(kind("definitely not a browser"), DeviceKind::Other);
    }
}
