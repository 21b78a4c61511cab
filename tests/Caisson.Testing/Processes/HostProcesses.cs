namespace Caisson.Testing.Processes;

/// <summary>Processes on the host, found by their command line in one pass over /proc.</summary>
public static class HostProcesses
{
    /// <summary>
    /// The pids whose arguments (argv[0] first) satisfy <paramref name="match"/>, which also gets the pid. A process
    /// that exits meanwhile is skipped; a zombie's command line is empty, so it matches nothing that wants an argument.
    /// </summary>
    public static List<int> Matching(Func<int, string[], bool> match)
    {
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
                continue;
            try
            {
                if (match(pid, File.ReadAllText(Path.Combine(directory, "cmdline")).Split('\0')))
                    found.Add(pid);
            }
            catch (IOException)
            {
                // gone meanwhile
            }
        }

        return found;
    }
}
