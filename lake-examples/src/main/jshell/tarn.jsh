// Loaded by ./tarn-shell: Tarn's API imported and a lake opened as `lake` ($TARN_LAKE: a directory or s3://bucket/prefix).
import dev.tarn.lake.*;
import dev.tarn.lake.catalog.*;
import dev.tarn.lake.ingest.*;
import dev.tarn.lake.doctor.*;
import dev.tarn.lake.security.*;
import dev.tarn.lake.query.*;
import java.nio.file.*;
import java.time.*;
Lake lake = Lake.open(System.getenv().getOrDefault("TARN_LAKE", "lake-data"));
Sql sql = Sql.of(lake);
System.out.println("Tarn " + Tarn.VERSION + ": `lake` is " + lake.location() + ", `sql` queries it"
        + " (try lake.catalog().datasets() or sql.query(\"SELECT * FROM tarn.objects\"))");
