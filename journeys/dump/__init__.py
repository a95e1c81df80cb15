"""The whole workspace as a folder of files (`journeys dump`) and back (`journeys restore-dump`)."""
