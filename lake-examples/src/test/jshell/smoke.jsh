// Run by JShellScriptTest through ./tarn-shell, exactly as a user would.
var r = lake.ingest("raw/notes").bytes("hello".getBytes(), "hello.txt").meta("from", "jshell").commit();
System.out.println("stored=" + r.stored().size());
var objs = lake.catalog().objects(DatasetId.parse("raw/notes"));
System.out.println("objects=" + objs.size());
System.out.println("sha256=" + objs.get(0).sha256());
System.out.println("meta=" + objs.get(0).metadata());
System.out.println("clean=" + lake.doctor().check().isClean());
System.out.println("sql=" + sql.query("SELECT original_name FROM raw.notes").scalar());
var saved = sql.saveAsTable("SELECT 40 + 2 AS answer", DatasetId.parse("analytics/answers"));
System.out.println("table=" + sql.query("SELECT answer FROM analytics.answers").scalar() + "@v" + saved.version());
/exit
