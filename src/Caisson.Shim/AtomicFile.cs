namespace Caisson.Shim;

/// <summary>Writes a whole file or nothing: a reader (the daemon) never sees half a state file.</summary>
internal static class AtomicFile
{
    public static void Write(string path, string content)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, content);
        File.Move(temporary, path, overwrite: true);
    }
}
