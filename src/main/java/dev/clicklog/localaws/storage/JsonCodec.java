package dev.clicklog.localaws.storage;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * Changes as JSON, for a sealed interface of records: each change is written as the simple name of
 * its record type and the record's JSON. Records gain fields compatibly (an older entry reads the
 * new field as null), so most format changes need no new version; renaming or removing a
 * component, or renaming a record type, does.
 */
public final class JsonCodec<E> implements Codec<E> {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .build();

    private final int version;
    private final Map<String, Class<? extends E>> types = new HashMap<>();

    private JsonCodec(Class<E> sealedType, int version) {
        if (!sealedType.isSealed()) {
            throw new IllegalArgumentException(sealedType + " is not a sealed interface");
        }
        if (version < 1 || version > 255) {
            throw new IllegalArgumentException("a codec version is 1 to 255: " + version);
        }
        this.version = version;
        for (Class<?> type : sealedType.getPermittedSubclasses()) {
            @SuppressWarnings("unchecked")
            Class<? extends E> change = (Class<? extends E>) type;
            if (types.put(type.getSimpleName(), change) != null) {
                throw new IllegalArgumentException("two changes named " + type.getSimpleName() + " in " + sealedType);
            }
        }
    }

    /** A codec for the records permitted by {@code sealedType}, writing {@code version}. */
    public static <E> JsonCodec<E> of(Class<E> sealedType, int version) {
        return new JsonCodec<>(sealedType, version);
    }

    @Override
    public int version() {
        return version;
    }

    @Override
    public void write(E change, DataOutput out) throws IOException {
        out.writeUTF(change.getClass().getSimpleName());
        byte[] json = JSON.writeValueAsBytes(change);
        out.writeInt(json.length);
        out.write(json);
    }

    @Override
    public E read(int version, DataInput in) throws IOException {
        String name = in.readUTF();
        Class<? extends E> type = types.get(name);
        if (type == null) {
            throw new IOException("unknown change type " + name);
        }
        byte[] json = new byte[in.readInt()];
        in.readFully(json);
        return JSON.readValue(json, type);
    }
}
