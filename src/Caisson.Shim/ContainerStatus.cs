using System.Globalization;
using System.Text;
using Caisson.Shim.Native;

namespace Caisson.Shim;

/// <summary>Where the container is in its life; transitions only go forward.</summary>
internal enum ContainerState
{
    Created,
    Running,
    Exited,
}

/// <summary>The container's init process as the shim knows it.</summary>
internal sealed class ContainerStatus
{
    public ContainerState State { get; private set; } = ContainerState.Created;

    public int Pid { get; init; }

    /// <summary>A pidfd for the init while it lives: signals go to that process, never to a reused pid.</summary>
    public int Pidfd { get; set; } = -1;

    public int ExitCode { get; private set; }

    public Libc.Timespec? StartedAt { get; private set; }

    public Libc.Timespec? FinishedAt { get; private set; }

    /// <summary>The kernel's OOM killer killed a process of the container (its cgroup's oom_kill counter grew).</summary>
    public bool OomKilled { get; private set; }

    public void Started(Libc.Timespec at)
    {
        StartedAt ??= at;
        if (State == ContainerState.Created)
            State = ContainerState.Running;
    }

    public void Exited(int exitCode, Libc.Timespec at, bool oomKilled)
    {
        State = ContainerState.Exited;
        ExitCode = exitCode;
        FinishedAt = at;
        OomKilled = oomKilled;
    }

    /// <summary>The status as <c>key=value</c> words: the reply to status and wait, and the exit file.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"state={State.ToString().ToLowerInvariant()} pid={Pid}");
        if (State == ContainerState.Exited)
            text.Append(CultureInfo.InvariantCulture, $" exit_code={ExitCode}");
        if (StartedAt is { } started)
            text.Append(" started_at=").Append(Clock.Format(started));
        if (FinishedAt is { } finished)
            text.Append(" finished_at=").Append(Clock.Format(finished));
        if (OomKilled)
            text.Append(" oom_killed=true");
        return text.ToString();
    }
}
