using Caisson.Runtime.Events;
using Microsoft.Extensions.Logging;

namespace Caisson.Runtime.Sandboxes;

public sealed partial class SandboxManager
{
    /// <summary>
    /// A ready pod whose shared PID namespace lost its pause (killed, OOM) is NotReady from then on, as containerd
    /// reports a sandbox whose task exited: the kubelet then stops it and runs a new one. Its network, pins and
    /// files stay until StopPodSandbox, which releases them as for any pod.
    /// </summary>
    private SandboxRecord WithPauseChecked(SandboxRecord record)
    {
        if (record.State != SandboxState.Ready || record.PidNamespacePath is null || PauseProcess.IsRunning(record.Id, record.Directory))
            return record;
        var lost = _store.Update(record.Id, current => current.State == SandboxState.Ready ? current with { State = SandboxState.NotReady } : null);
        if (lost is null)
            return _store.Get(record.Id) ?? record;
        Log.PauseGone(_logger, lost.Id);
        _events.Publish(ContainerEventKind.Stopped, lost.Id, lost.Id, lost);
        return lost;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3010, Level = LogLevel.Warning, Message = "Pod sandbox {Id}: its pause process is gone, so its PID namespace is too; the pod is NotReady")]
        public static partial void PauseGone(ILogger logger, string id);
    }
}
