namespace Caisson.Cli.Logs;

/// <summary>Follows a container's log file until the container has exited and the shim has written its last output.</summary>
internal static class LogFollower
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    // The shim may still be draining the container's pipes when its exit is reported: stop only after the file has
    // stayed the same for this many polls once the exit is seen.
    private const int QuietPollsAfterExit = 3;

    /// <param name="hasExited">Asks the daemon whether the container has exited; called only while the file is quiet.</param>
    /// <param name="flush">Called after each batch of lines, so they show as they come.</param>
    public static async Task FollowAsync(
        CriLogFile file, Func<CancellationToken, Task<bool>> hasExited, Action flush, CancellationToken cancellationToken)
    {
        var exited = false;
        var quietPolls = 0;
        while (true)
        {
            var read = file.ReadAvailable() | file.FollowRotation();
            if (read)
            {
                flush();
                quietPolls = 0;
                continue;
            }
            if (!exited)
                exited = await hasExited(cancellationToken);
            else if (++quietPolls >= QuietPollsAfterExit)
                break;
            await Task.Delay(PollInterval, cancellationToken);
        }
        file.Finish();
        flush();
    }
}
