from pytest_bdd import scenarios

scenarios("NCT07333573.feature")
