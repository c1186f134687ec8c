from pytest_bdd import scenarios

scenarios("NCT07245251.feature")
