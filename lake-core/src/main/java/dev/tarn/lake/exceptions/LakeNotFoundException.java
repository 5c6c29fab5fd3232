package dev.tarn.lake.exceptions;

/** There is no lake at the location opened with {@code createIfMissing(false)}. */
public class LakeNotFoundException extends NotFoundException {
    private final String location;

    public LakeNotFoundException(String location) {
        super(
                ErrorCode.LAKE_NOT_FOUND,
                "no lake at " + location,
                " (run 'lake init' to create one)");
        this.location = location;
    }

    /** Where the lake was looked for. */
    public String location() {
        return location;
    }
}
