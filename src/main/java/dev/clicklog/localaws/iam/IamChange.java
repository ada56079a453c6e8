package dev.clicklog.localaws.iam;

/**
 * What changes IAM's state, as its journal records it: a role, user or customer managed policy as
 * it now is (created, or any of its policies, keys, attachments, trust policy or tags changed), or
 * one deleted. Whole entities rather than edits, so replaying a change is just putting it back.
 */
sealed interface IamChange permits IamChange.RolePut, IamChange.RoleDeleted, IamChange.UserPut,
        IamChange.UserDeleted, IamChange.PolicyPut, IamChange.PolicyDeleted {

    /** The store's name and codec version: its files' names and on-disk format. */
    String STORE = "iam";
    int VERSION = 1;

    record RolePut(Role role) implements IamChange {
    }

    record RoleDeleted(String name) implements IamChange {
    }

    record UserPut(User user) implements IamChange {
    }

    record UserDeleted(String name) implements IamChange {
    }

    /** A customer managed policy, by its ARN. */
    record PolicyPut(ManagedPolicy policy) implements IamChange {
    }

    record PolicyDeleted(String arn) implements IamChange {
    }
}
