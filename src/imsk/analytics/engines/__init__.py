"""The engines the KPI expressions run on; the registry is :data:`imsk.analytics.engine.ENGINES`."""
