"""The one error type users see."""


class InputError(Exception):
    """Bad input or configuration; the message is Indonesian and says what to do.

    Pages show it as an error box and the CLI prints it on one line with exit
    status 2; nothing stored is changed when it is raised.
    """
