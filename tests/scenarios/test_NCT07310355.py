from pytest_bdd import scenarios

scenarios("NCT07310355.feature")
