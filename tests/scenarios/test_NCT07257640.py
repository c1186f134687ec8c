from pytest_bdd import scenarios

scenarios("NCT07257640.feature")
