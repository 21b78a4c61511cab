using System.Globalization;

namespace Caisson.Runtime.Driver;

/// <summary>
/// The fields of /proc/PID/stat the daemon uses: state, parent and start time (which tells a process apart
/// from a later one that reuses its pid).
/// </summary>
internal readonly record struct ProcessStat(char State, int Parent, ulong StartTime)
{
    /// <summary>
    /// True once the process has terminated. A zombie counts: a shim re-parented to init stays one until init
    /// reaps it, which some inits do only every second or two.
    /// </summary>
    public bool HasExited => State is 'Z' or 'X';

    /// <summary>The process's stat, or null when it is gone.</summary>
    public static ProcessStat? Read(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return Parse(text);
    }

    /// <summary>Parses one stat line; the command name (field 2) may hold spaces and parentheses, so fields resume after the last ')'.</summary>
    public static ProcessStat Parse(string text)
    {
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        // fields[0] is field 3 (state), so field N is fields[N - 3].
        return new ProcessStat(
            fields[0][0], int.Parse(fields[1], CultureInfo.InvariantCulture), ulong.Parse(fields[19], CultureInfo.InvariantCulture));
    }
}
