"""What a journey does to a page, with the waiting that makes it deterministic."""


def navigate(page, target):
    """Click ``target`` (a submit button or a link) and return once the page it leads to has loaded.

    Playwright's ``click()`` returns as soon as the navigation has started: until the response arrives, a read sees the
    old page (the CI run that counted no import errors had read the upload form, not its answer). For the same reason
    ``wait_for_load_state()`` and ``wait_for_url()`` to the URL already shown return at once.
    """
    with page.expect_navigation():
        target.click()
