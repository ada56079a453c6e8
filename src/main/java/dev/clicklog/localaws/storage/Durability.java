package dev.clicklog.localaws.storage;

/**
 * How far a change is taken before the request that made it is answered
 * ({@code clicklog.localaws.durability}).
 */
public enum Durability {
    /** Written to the log and forced to the disk (one fsync for every change that arrived together). */
    FSYNC,
    /** Written to the log, left to the operating system to put on disk: survives a crash of the process, not of the machine. */
    OS,
    /** Kept in memory only, nothing written: every restart starts empty (throwaway tests). */
    MEMORY;

    /** Whether changes go to files at all. */
    public boolean persistent() {
        return this != MEMORY;
    }
}
