"""The feedback API at `/api/georeport/v2/` (Open311 GeoReport v2, CitySDK, 6Aika)."""
