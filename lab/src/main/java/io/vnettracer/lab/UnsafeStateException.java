package io.vnettracer.lab;

/**
 * A state directory or file that someone other than root (or the user running the lab) could have
 * written: a symbolic link, owned by another user, or writable by group or others. The lab acts on
 * no such file, since what it names would be removed or killed as root.
 */
public final class UnsafeStateException extends LabException {
    UnsafeStateException(String message) {
        super(message);
    }
}
