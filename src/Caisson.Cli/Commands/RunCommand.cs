using System.Security.Cryptography;
using Caisson.Api.Cri;
using Caisson.Api.V1;
using Caisson.Cli.Arguments;
using Caisson.Cli.Containers;
using Caisson.Core.Errors;
using Grpc.Core;

namespace Caisson.Cli.Commands;

/// <summary>caisson run: a container in a pod of its own, from an image pulled if need be, like `docker run`.</summary>
internal static class RunCommand
{
    public static CommandSpec Spec { get; } = new()
    {
        Name = "run",
        Usage = "caisson run [OPTIONS] IMAGE [COMMAND] [ARG...]",
        Summary = "Run a command in a new container",
        Description = "Creates a container from IMAGE and starts it, as docker run does: the image is pulled first "
            + "when it is not in the store; COMMAND and its ARGs replace the image's Cmd (--entrypoint replaces its "
            + "Entrypoint). Each container gets a pod of its own (namespace \"caisson\", named after the container) "
            + "with its own network address; -p publishes a pod port on the host. Without -d the container's output "
            + "is shown as it is written, and caisson exits with the container's exit code when it ends; Ctrl-C "
            + "stops the container. With -d the container runs on in the background and its id is printed: follow "
            + "it with caisson logs -f, look inside with caisson exec, end it with caisson stop and caisson rm. "
            + "Everything after IMAGE belongs to the container's command, so put caisson's options before IMAGE.",
        Flags =
        [
            FlagSpec.Boolean("detach", 'd', "Run in the background and print the container id"),
            FlagSpec.Boolean("rm", null, "Remove the container and its pod when it exits (with -d, caissond removes them)"),
            FlagSpec.Value("name", null, "NAME", "Name the container (and its pod); one is made up otherwise"),
            FlagSpec.List("env", 'e', "NAME=VALUE", "Set an environment variable; NAME alone passes this shell's value (repeatable)"),
            FlagSpec.List("volume", 'v', "HOST:CONTAINER[:ro]", "Bind-mount a host directory or file (repeatable)"),
            FlagSpec.List("publish", 'p', "[IP:]HOST:CONTAINER[/PROTO]", "Publish a container port on the host (repeatable)"),
            FlagSpec.Value("workdir", 'w', "DIR", "Working directory inside the container"),
            FlagSpec.Value("user", 'u', "USER[:GROUP]", "User (name or uid) and numeric group to run as"),
            FlagSpec.Value("entrypoint", null, "COMMAND", "Replace the image's entrypoint (\"\" clears it)"),
            FlagSpec.Value("hostname", null, "NAME", "Host name inside the container", "the pod's name"),
            FlagSpec.Value("runtime", null, "HANDLER", "OCI runtime handler from the daemon's config, e.g. runc or crun", "the daemon's default"),
            FlagSpec.Value("pull", null, "POLICY", "Pull the image: missing, always or never", "missing"),
            FlagSpec.Value("stop-timeout", null, "SECONDS", "On Ctrl-C, seconds to wait after the stop signal before SIGKILL", "10"),
            FlagSpec.Boolean("interactive", 'i', "Not supported yet: needs streaming attach"),
            FlagSpec.Boolean("tty", 't', "Not supported yet: needs streaming attach"),
        ],
        Examples =
        [
            new("caisson run --rm busybox echo hello", "Run one command, print its output, clean up; the exit code is the command's"),
            new("caisson run -d --name web -p 8080:80 -v ./site:/usr/share/nginx/html:ro nginx",
                "A web server in the background on host port 8080, serving ./site"),
            new("caisson run --rm -e GREETING=hi -w /tmp busybox sh -c 'echo $GREETING from $(pwd)'",
                "Environment and working directory; quote what the container's shell should expand"),
        ],
        MinArguments = 1,
        MaxArguments = int.MaxValue,
        FlagsEndAtFirstArgument = true,
        RunAsync = RunAsync,
    };

    private static async Task<int> RunAsync(CommandInvocation invocation)
    {
        var options = RunOptions.Read(invocation);
        foreach (var mount in options.Mounts.Where(m => !Path.Exists(m.HostPath)))
            throw new NotFoundException($"-v: host path {mount.HostPath} does not exist; create it first");
        var image = await RunImage.EnsureAsync(invocation, options);
        var name = await ChooseNameAsync(invocation, options.Name);
        var info = await invocation.Daemon.System.InfoAsync(new InfoRequest(), cancellationToken: invocation.CancellationToken);
        var podConfig = RunConfigs.Pod(options, name, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), info.Root);
        var containerConfig = RunConfigs.Container(options, name, image);
        var (podId, containerId) = await CreateAndStartAsync(invocation, options, podConfig, containerConfig);
        if (!options.Detach)
            return await ForegroundRun.WaitAsync(invocation, containerId, podId, options);
        invocation.Out.WriteLine(containerId);
        return ExitCodes.Success;
    }

    /// <summary>A failure (or Ctrl-C) on the way takes the pod down again, so a failed run leaves nothing behind.</summary>
    private static async Task<(string PodId, string ContainerId)> CreateAndStartAsync(
        CommandInvocation invocation, RunOptions options, PodSandboxConfig podConfig, ContainerConfig containerConfig)
    {
        var runtime = invocation.Daemon.Runtime;
        var cancellationToken = invocation.CancellationToken;
        try
        {
            var podId = (await runtime.RunPodSandboxAsync(
                new RunPodSandboxRequest { Config = podConfig, RuntimeHandler = options.RuntimeHandler }, cancellationToken: cancellationToken)).PodSandboxId;
            var containerId = (await runtime.CreateContainerAsync(
                new CreateContainerRequest { PodSandboxId = podId, Config = containerConfig, SandboxConfig = podConfig }, cancellationToken: cancellationToken)).ContainerId;
            await runtime.StartContainerAsync(new StartContainerRequest { ContainerId = containerId }, cancellationToken: cancellationToken);
            return (podId, containerId);
        }
        catch
        {
            await RollBackAsync(invocation.Daemon, podConfig.Metadata);
            throw;
        }
    }

    /// <summary>Removes whatever pod this run created (found by its uid); never throws, so the first error is the one shown.</summary>
    private static async Task RollBackAsync(DaemonConnection daemon, PodSandboxMetadata metadata)
    {
        try
        {
            var pods = await daemon.Runtime.ListPodSandboxAsync(new ListPodSandboxRequest(), cancellationToken: CancellationToken.None);
            foreach (var pod in pods.Items.Where(p => p.Metadata?.Uid == metadata.Uid))
                await CliPods.RemovePodAsync(daemon, pod.Id, pod.Metadata, CancellationToken.None);
        }
        catch (RpcException)
        {
        }
        catch (IOException)
        {
        }
    }

    private static async Task<string> ChooseNameAsync(CommandInvocation invocation, string? requested)
    {
        var runtime = invocation.Daemon.Runtime;
        var containers = await DaemonObjects.ListContainersAsync(runtime, invocation.CancellationToken);
        var pods = await DaemonObjects.ListPodsAsync(runtime, invocation.CancellationToken);
        string? UserOf(string name)
        {
            var podName = ContainerNames.PodNameFor(name);
            return containers.FirstOrDefault(c => DaemonObjects.NameOf(c) == name)?.Id
                ?? pods.FirstOrDefault(p => p.Metadata?.Namespace == CliLabels.PodNamespace && p.Metadata.Name == podName)?.Id;
        }

        if (requested is not null)
        {
            return UserOf(requested) is { } id
                ? throw new AlreadyExistsException(
                    $"the name \"{requested}\" is already in use by {ContainerText.ShortId(id)}; remove that (caisson rm {requested}) or choose another --name")
                : requested;
        }
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var name = ContainerNames.Generate(Random.Shared);
            if (attempt >= 10)
                name += "-" + Random.Shared.Next(2, 1000).ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (UserOf(name) is null)
                return name;
        }
        throw new AlreadyExistsException("could not find a free container name; choose one with --name");
    }
}
