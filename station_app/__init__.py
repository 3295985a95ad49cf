"""建设工程安全监督站工作台 (station_app)."""

__version__ = "0.1.0"
APP_NAME = "station_app"
APP_TITLE = "建设工程安全监督站工作台"
