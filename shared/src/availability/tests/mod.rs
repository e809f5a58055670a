//! Tests of the availability engine. Every test uses a fixed `now`.

mod cells;
mod dst;
mod equivalence;
mod json;
mod rules;
mod slots;
mod support;
mod weeks;
mod windows;
