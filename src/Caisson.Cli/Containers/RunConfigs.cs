using System.Buffers;
using System.Text;
using System.Text.Json;
using Caisson.Api.Cri;

namespace Caisson.Cli.Containers;

/// <summary>The CRI pod and container configs for one `caisson run`: a pod holding just the one container.</summary>
internal static class RunConfigs
{
    /// <summary>Kubelet's layout: one directory per pod, named NAMESPACE_NAME_UID, under the daemon's root.</summary>
    public static string LogDirectory(string daemonRoot, PodSandboxMetadata pod) =>
        Path.Combine(daemonRoot, "pod-logs", $"{pod.Namespace}_{pod.Name}_{pod.Uid}");

    /// <summary>caissond removes a pod with this annotation once its containers have exited (PodAutoRemoval).</summary>
    public const string AutoRemoveAnnotation = "io.caisson.auto-remove";

    public static PodSandboxConfig Pod(RunOptions options, string containerName, string podUid, string daemonRoot)
    {
        var podName = ContainerNames.PodNameFor(containerName);
        var metadata = new PodSandboxMetadata { Name = podName, Namespace = CliLabels.PodNamespace, Uid = podUid };
        var config = new PodSandboxConfig
        {
            Metadata = metadata,
            Hostname = options.Hostname ?? podName,
            LogDirectory = LogDirectory(daemonRoot, metadata),
            Labels = { [CliLabels.CreatedBy] = CliLabels.CreatedByRun },
            // As docker (and the kubelet without shareProcessNamespace): the container's process is its own PID 1.
            Linux = new LinuxPodSandboxConfig
            {
                SecurityContext = new LinuxSandboxSecurityContext { NamespaceOptions = new NamespaceOption { Pid = NamespaceMode.Container } },
            },
        };
        config.PortMappings.AddRange(options.Ports);
        // In the foreground the CLI removes the pod itself after the exit; detached, nobody is left to: caissond does.
        if (options.Detach && options.RemoveAfterExit)
            config.Annotations[AutoRemoveAnnotation] = "true";
        return config;
    }

    public static ContainerConfig Container(RunOptions options, string name, ImageDefaults image)
    {
        var config = new ContainerConfig
        {
            Metadata = new ContainerMetadata { Name = name },
            Image = new ImageSpec { Image = options.Image },
            WorkingDir = options.WorkingDirectory ?? "",
            LogPath = $"{name}/0.log",
            Labels = { [CliLabels.CreatedBy] = CliLabels.CreatedByRun },
            Annotations = { [CliLabels.Command] = JsonArray(EffectiveCommand(options, image)) },
        };
        // CRI's command replaces the image's Entrypoint and Cmd, its args only the Cmd: the same split as docker's
        // --entrypoint and the words after IMAGE.
        switch (options.Entrypoint)
        {
            case null:
                config.Args.AddRange(options.Arguments);
                break;
            case "":
                config.Command.AddRange(options.Arguments);
                break;
            default:
                config.Command.Add(options.Entrypoint);
                config.Args.AddRange(options.Arguments);
                break;
        }
        config.Envs.AddRange(options.Environment);
        config.Mounts.AddRange(options.Mounts);
        if (options.Security is { } security)
            config.Linux = new LinuxContainerConfig { SecurityContext = security.Clone() };
        return config;
    }

    /// <summary>What the container will run, by docker's rules: --entrypoint drops the image's Cmd too.</summary>
    public static IReadOnlyList<string> EffectiveCommand(RunOptions options, ImageDefaults image) => options.Entrypoint switch
    {
        null => [.. image.Entrypoint, .. options.Arguments.Count > 0 ? options.Arguments : image.Cmd],
        "" => options.Arguments,
        var entrypoint => [entrypoint, .. options.Arguments],
    };

    private static string JsonArray(IEnumerable<string> words)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var word in words)
                json.WriteStringValue(word);
            json.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
