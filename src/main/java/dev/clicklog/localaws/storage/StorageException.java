package dev.clicklog.localaws.storage;

/**
 * The storage layer could not do what was asked: a write or fsync failed (the disk is full, the
 * file system went read-only), or the data directory cannot be used. Once a log write has failed
 * nothing more is acknowledged: every later change fails with this too, and health reports it.
 */
public class StorageException extends RuntimeException {

    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
