"""The questionnaire as a conversation: the session state machine, its dialogue, and the answers file it saves.

Front-end neutral (a terminal and a web page drive the same session). May import `render`,
`engine` and `book`; never `cli`, `web`, `advisor` or `cohort`.
"""
