using Caisson.Api.Cri;

namespace Caisson.Bench.Cri;

/// <summary>
/// The pod and container the benchmark asks for, shaped as kubelet sends them: a log directory the client creates,
/// a per-pod cgroup parent, the pod's own network namespace, one container per pod.
/// </summary>
internal sealed class PodRequests(string image, string logRoot, string cgroupParent)
{
    private const string Namespace = "bench";
    private const string ContainerName = "sleeper";

    /// <summary>What the container prints once its SIGTERM trap is set.</summary>
    public const string ReadyLine = "ready";

    /// <summary>
    /// Exits at once on SIGTERM (the trap interrupts <c>wait</c>), so StopContainer measures the runtime rather than a
    /// grace period; runs until then. A SIGTERM before the trap is set would be lost (the shell is its namespace's
    /// PID 1, which ignores unhandled signals), so the client waits for <see cref="ReadyLine"/> before stopping it.
    /// </summary>
    public static readonly IReadOnlyList<string> ContainerCommand = ["/bin/sh", "-c", $"trap 'exit 0' TERM; echo {ReadyLine}; sleep 3600 & wait"];

    /// <summary>Seconds StopContainer allows before SIGKILL; the container never needs them.</summary>
    public const long StopTimeoutSeconds = 10;

    public PodSandboxConfig Sandbox(string name)
    {
        var uid = Guid.NewGuid().ToString();
        var logDirectory = Path.Combine(logRoot, $"{Namespace}_{name}_{uid}");
        // kubelet creates the pod's and the container's log directories before it asks the runtime.
        Directory.CreateDirectory(Path.Combine(logDirectory, ContainerName));
        return new PodSandboxConfig
        {
            Metadata = new PodSandboxMetadata { Name = name, Namespace = Namespace, Uid = uid },
            Hostname = name,
            LogDirectory = logDirectory,
            Labels = { ["app"] = "bench" },
            Linux = new LinuxPodSandboxConfig
            {
                CgroupParent = $"{cgroupParent.TrimEnd('/')}/pod{uid}",
                SecurityContext = new LinuxSandboxSecurityContext
                {
                    NamespaceOptions = new NamespaceOption { Network = NamespaceMode.Pod, Pid = NamespaceMode.Container, Ipc = NamespaceMode.Pod },
                },
            },
        };
    }

    /// <summary>Where the runtime writes the container's output (CRI log format) for a pod made by <see cref="Sandbox"/>.</summary>
    public static string LogPath(PodSandboxConfig sandbox) => Path.Combine(sandbox.LogDirectory, ContainerName, "0.log");

    public ContainerConfig Container() => new()
    {
        Metadata = new ContainerMetadata { Name = ContainerName },
        Image = new ImageSpec { Image = image },
        Command = { ContainerCommand },
        LogPath = $"{ContainerName}/0.log",
        Linux = new LinuxContainerConfig
        {
            SecurityContext = new LinuxContainerSecurityContext
            {
                NamespaceOptions = new NamespaceOption { Network = NamespaceMode.Pod, Pid = NamespaceMode.Container, Ipc = NamespaceMode.Pod },
            },
        },
    };
}
