"""The advice desk's pages: thin views over `advice.services` and `advice.selectors`.

`resident`: starting a chat and the resident's chat (a full page, or a fragment
for the chat button's panel), every form working without JavaScript. `desk`:
the advisors' desk and the supervisors' view.
"""
