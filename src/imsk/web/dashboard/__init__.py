"""The performance dashboard: KPIs of an uploaded MSK data set, by nation, health board and service."""
