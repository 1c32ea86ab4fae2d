//! Importers for GPX, TCX, FIT and Strava exports, recognised by content.
