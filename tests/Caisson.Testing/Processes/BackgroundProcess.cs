using System.Diagnostics;

namespace Caisson.Testing.Processes;

/// <summary>
/// A long-running child process a test owns (a registry, a daemon): its recent output is kept for error
/// messages, and disposing kills and reaps it. .NET reaps its own children, so the kill never hits a reused pid.
/// </summary>
public sealed class BackgroundProcess : IAsyncDisposable
{
    private const int KeptLines = 400;

    private readonly Process process;
    private readonly Queue<string> lines = new();
    private readonly string description;

    private BackgroundProcess(Process process, string description)
    {
        this.process = process;
        this.description = description;
    }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    /// <summary>Completes when the process exits, on its own or killed.</summary>
    public Task Exited => process.WaitForExitAsync();

    public int? ExitCode => process.HasExited ? process.ExitCode : null;

    /// <summary>The last lines of stdout and stderr, interleaved as they came.</summary>
    public string RecentOutput
    {
        get
        {
            lock (lines)
                return string.Join('\n', lines);
        }
    }

    /// <summary>Starts <paramref name="fileName"/>; <paramref name="environment"/> entries with a null value are removed.</summary>
    public static BackgroundProcess Start(
        string fileName, IEnumerable<string> arguments, string? workingDirectory = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
                info.Environment.Remove(name);
            else
                info.Environment[name] = value;
        }

        var process = new Process { StartInfo = info };
        var owner = new BackgroundProcess(process, $"{fileName} {string.Join(' ', info.ArgumentList)}");
        process.OutputDataReceived += (_, e) => owner.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => owner.Keep(e.Data);
        if (!process.Start())
            throw new InvalidOperationException($"could not start {owner.description}");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return owner;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{description} (pid {process.Id}) did not exit within 10 s of SIGKILL");
        }
        finally
        {
            process.Dispose();
        }
    }

    public override string ToString() => $"{description} (pid {process.Id})";

    private void Keep(string? line)
    {
        if (line is null)
            return;
        lock (lines)
        {
            lines.Enqueue(line);
            while (lines.Count > KeptLines)
                lines.Dequeue();
        }
    }
}
