"""Access alerts: a family that asks for them gets an email, at most once a day, when an
organization other than the record's owner opens a record they follow (`portal
send-access-alerts`, daily). The email says only that someone looked: no name, no who."""
