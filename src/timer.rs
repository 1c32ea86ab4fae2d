//! The guided routine timer: step logic without a clock, and a terminal front end.
