"""Email reminders a family opts in to per record: once when a dose becomes due, once when
it is overdue (`portal send-reminders`, daily). The emails say only that a shot is due."""
