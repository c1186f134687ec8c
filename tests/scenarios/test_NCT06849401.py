from pytest_bdd import scenarios

scenarios("NCT06849401.feature")
