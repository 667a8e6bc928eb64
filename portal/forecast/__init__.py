"""Due and overdue doses: CDC's CDSi logic (logic specification v4.6) on CDC's supporting
data (4.64, converted into data/). Plain Python, no Flask; engine.forecast_group and
engine.forecast_all are the entry points."""
