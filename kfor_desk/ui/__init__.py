"""The Qt face of KFOR Desk: windows, models, dialogs, map and timeline widgets."""
