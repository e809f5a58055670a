//! Schedules: expressions EventBridge Scheduler accepts, an explicit IANA time zone (so a
//! daily job's hour does not silently drift with daylight saving), and a dead-letter queue.

use serde_yaml::Value;

use super::{Rule, Violation, cfn, violation};
use crate::template::Template;

pub(crate) fn check(template: &Template) -> Vec<Violation> {
    let mut out = Vec::new();
    for function in &template.functions {
        let Some(events) = function.properties.get("Events").and_then(Value::as_mapping) else { continue };
        for (name, event) in events {
            let at = format!("{}.{}", function.logical_id, name.as_str().unwrap_or_default());
            let kind = event.get("Type").and_then(Value::as_str).unwrap_or_default();
            if kind == "Schedule" {
                out.push(violation(
                    Rule::ScheduleTimezone,
                    &at,
                    "an EventBridge rule (Type: Schedule) runs in UTC only; use ScheduleV2 with ScheduleExpressionTimezone",
                ));
                continue;
            }
            if kind != "ScheduleV2" {
                continue;
            }
            let props = event.get("Properties").cloned().unwrap_or(Value::Null);
            let expression = props.get("ScheduleExpression").and_then(Value::as_str).unwrap_or_default();
            if let Err(why) = validate_expression(expression) {
                out.push(violation(Rule::ScheduleExpression, &at, format!("{expression:?}: {why}")));
            }
            match props.get("ScheduleExpressionTimezone").and_then(Value::as_str) {
                None => out.push(violation(Rule::ScheduleTimezone, &at, "no ScheduleExpressionTimezone")),
                Some(zone) if jiff::tz::TimeZone::get(zone).is_err() => {
                    out.push(violation(Rule::ScheduleTimezone, &at, format!("{zone:?} is not an IANA time zone")))
                }
                Some(_) => {}
            }
            let dlq = props.get("DeadLetterConfig").and_then(|d| d.get("Arn")).and_then(cfn::get_att);
            let ok = dlq.is_some_and(|(queue, attr)| {
                attr == "Arn" && cfn::resource_type(template, &queue).as_deref() == Some("AWS::SQS::Queue")
            });
            if !ok {
                out.push(violation(Rule::ScheduleDeadLetter, &at, "no DeadLetterConfig.Arn (!GetAtt <queue>.Arn)"));
            }
        }
    }
    out
}

/// `rate(N unit)`, `cron(6 fields)` or `at(yyyy-mm-ddThh:mm:ss)`, as EventBridge Scheduler
/// defines them.
pub fn validate_expression(expression: &str) -> Result<(), String> {
    let inner = |prefix: &str| expression.strip_prefix(prefix).and_then(|r| r.strip_suffix(')'));
    if let Some(rate) = inner("rate(") {
        let (value, unit) = rate.split_once(' ').ok_or("rate needs a value and a unit")?;
        let value: u64 = value.parse().map_err(|_| format!("rate value {value:?} is not a positive integer"))?;
        if value == 0 {
            return Err("rate value must be positive".into());
        }
        let (singular, plural) = (["minute", "hour", "day"], ["minutes", "hours", "days"]);
        let ok = if value == 1 { singular.contains(&unit) } else { plural.contains(&unit) };
        return if ok { Ok(()) } else { Err(format!("unit {unit:?} does not fit value {value}")) };
    }
    if let Some(at) = inner("at(") {
        return at
            .parse::<jiff::civil::DateTime>()
            .map(|_| ())
            .map_err(|e| format!("at(): {e}"))
            .and_then(|()| if at.len() == 19 { Ok(()) } else { Err("at() takes yyyy-mm-ddThh:mm:ss".into()) });
    }
    let cron = inner("cron(").ok_or("neither rate(), cron() nor at()")?;
    let fields: Vec<&str> = cron.split(' ').collect();
    let [minutes, hours, dom, month, dow, year] = fields.as_slice() else {
        return Err(format!("cron needs 6 fields, has {}", fields.len()));
    };
    field(minutes, 0, 59, &[], "")?;
    field(hours, 0, 23, &[], "")?;
    field(dom, 1, 31, &[], "?LW")?;
    const MONTHS: [&str; 12] = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    field(month, 1, 12, &MONTHS, "")?;
    const DAYS: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
    field(dow, 1, 7, &DAYS, "?L#")?;
    field(year, 1970, 2199, &[], "")?;
    if (*dom == "?") == (*dow == "?") {
        return Err("exactly one of day-of-month and day-of-week must be '?'".into());
    }
    Ok(())
}

/// One cron field: `*`, `?`, values, ranges, steps and lists, within `min..=max` (names
/// count from `min`), plus the special characters the field allows.
fn field(text: &str, min: u32, max: u32, names: &[&str], specials: &str) -> Result<(), String> {
    if text == "*" || (text == "?" && specials.contains('?')) {
        return Ok(());
    }
    let value = |v: &str| -> Result<u32, String> {
        if let Some(i) = names.iter().position(|n| n.eq_ignore_ascii_case(v)) {
            return Ok(min + u32::try_from(i).unwrap_or(0));
        }
        let n: u32 = v.parse().map_err(|_| format!("{v:?} is not a value"))?;
        if (min..=max).contains(&n) { Ok(n) } else { Err(format!("{n} is outside {min}-{max}")) }
    };
    for part in text.split(',') {
        let (range, step) = match part.split_once('/') {
            Some((range, step)) => (range, Some(step)),
            None => (part, None),
        };
        if let Some(step) = step {
            let step: u32 = step.parse().map_err(|_| format!("step {step:?} is not a number"))?;
            if step == 0 {
                return Err("step must be positive".into());
            }
        }
        if range == "*" {
            continue;
        }
        // L (last), W (weekday) and # (nth weekday) in the fields that allow them.
        let plain = range.trim_end_matches(|c| specials.contains(c) && (c == 'L' || c == 'W'));
        if plain.is_empty() && range == "L" && specials.contains('L') {
            continue;
        }
        if let Some((day, nth)) = plain.split_once('#')
            && specials.contains('#')
        {
            value(day)?;
            let nth: u32 = nth.parse().map_err(|_| format!("{nth:?} is not a week number"))?;
            if !(1..=5).contains(&nth) {
                return Err(format!("#{nth} is outside 1-5"));
            }
            continue;
        }
        match plain.split_once('-') {
            Some((from, to)) => {
                value(from)?;
                value(to)?;
            }
            None => {
                value(plain)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::validate_expression;

    #[test]
    fn expressions_scheduler_accepts_and_rejects() {
        for ok in [
            "rate(1 minute)",
            "rate(5 minutes)",
            "rate(1 day)",
            "cron(30 2 * * ? *)",
            "cron(0/15 8-17 ? * MON-FRI *)",
            "cron(0 10 ? * 6#3 *)",
            "cron(0 0 L * ? 2027)",
            "at(2027-01-01T09:00:00)",
        ] {
            assert_eq!(validate_expression(ok), Ok(()), "{ok}");
        }
        for bad in [
            "rate(1 minutes)",
            "rate(2 minute)",
            "rate(0 days)",
            "rate(5 weeks)",
            "cron(30 2 * * *)",
            "cron(30 2 * * * *)",
            "cron(30 2 ? * ? *)",
            "cron(61 2 * * ? *)",
            "cron(30 24 * * ? *)",
            "cron(30 2 * 13 ? *)",
            "cron(30 2 ? * FUNDAY *)",
            "cron(0/0 2 * * ? *)",
            "at(2027-01-01)",
            "every day at 2:30",
            "",
        ] {
            assert!(validate_expression(bad).is_err(), "{bad} should be rejected");
        }
    }
}
