using System.Diagnostics;
using System.Text.Json;
using Caisson.Api.Cri;
using Caisson.Runtime.Oci;

namespace Caisson.Tests.Runtime.Oci;

/// <summary>Generated config.json files run by the real runc against a busybox rootfs.</summary>
[Trait("Category", "Privileged")]
public sealed class RuncRunTests : IDisposable
{
    private static readonly string[] Applets = ["sh", "id", "touch", "chown", "cat", "echo", "unshare", "true", "grep", "stat"];
    private readonly SpecTestRootfs rootfs = new();

    public RuncRunTests()
    {
        var bin = Path.Combine(rootfs.Rootfs, "bin");
        Directory.CreateDirectory(bin);
        File.Copy("/bin/busybox", Path.Combine(bin, "busybox"));
        foreach (var applet in Applets)
            File.CreateSymbolicLink(Path.Combine(bin, applet), "busybox");
        foreach (var dir in new[] { "tmp", "proc", "sys", "dev" })
            Directory.CreateDirectory(Path.Combine(rootfs.Rootfs, dir));
        File.WriteAllText(Path.Combine(rootfs.Rootfs, "tmp/f"), "");
    }

    public void Dispose() => rootfs.Dispose();

    [Fact]
    public void IdPrintsTheResolvedUser()
    {
        var (exit, output) = Run(Config(new LinuxContainerSecurityContext { RunAsUsername = "alice" }, "id"));
        Assert.Equal(0, exit);
        Assert.Contains("uid=1000(alice) gid=1000(alice) groups=10(wheel),29(audio),1000(alice)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadOnlyRootfsRefusesWrites()
    {
        var (exit, output) = Run(Config(new LinuxContainerSecurityContext { ReadonlyRootfs = true }, "sh", "-c", "touch /x && echo wrote || echo refused"));
        Assert.Equal(0, exit);
        Assert.Contains("refused", output, StringComparison.Ordinal);
    }

    [Fact]
    public void DroppedChownCapabilityMakesChownFail()
    {
        var kept = Run(Config(new LinuxContainerSecurityContext(), "sh", "-c", "chown 1 /tmp/f && echo changed"));
        Assert.Contains("changed", kept.Output, StringComparison.Ordinal);
        var caps = new Capability();
        caps.DropCapabilities.Add("CHOWN");
        var dropped = Run(Config(new LinuxContainerSecurityContext { Capabilities = caps }, "sh", "-c", "chown 2 /tmp/f && echo changed || echo denied"));
        Assert.Contains("denied", dropped.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void APrivilegedContainerRunsWithTheDaemonsWholeBoundingSet()
    {
        // Where the daemon itself lacks a capability (this machine's bounding set has no CAP_SYS_RESOURCE), asking
        // runc for every capability the kernel knows fails with "unable to apply caps"; the container must still run.
        var pod = new PodSandboxConfig { Linux = new LinuxPodSandboxConfig { SecurityContext = new LinuxSandboxSecurityContext { Privileged = true } } };
        var (exit, output) = Run(Config(new LinuxContainerSecurityContext { Privileged = true }, "grep", "CapBnd", "/proc/self/status"), pod);
        Assert.Equal(0, exit);
        var expected = CapabilitySet.OwnBoundingSet() & ((1UL << (int.Parse(File.ReadAllText("/proc/sys/kernel/cap_last_cap").Trim(), System.Globalization.CultureInfo.InvariantCulture) + 1)) - 1);
        Assert.Matches($@"CapBnd:\s+0*{expected:x}\b", output);
    }

    [Fact]
    public void NoNewPrivsIsVisible()
    {
        var (_, output) = Run(Config(new LinuxContainerSecurityContext { NoNewPrivs = true }, "grep", "NoNewPrivs", "/proc/self/status"));
        Assert.Matches(@"NoNewPrivs:\s+1", output);
    }

    [Fact]
    public void RuntimeDefaultSeccompBlocksUnshareButUnconfinedDoesNot()
    {
        const string script = "echo alive; unshare -U true && echo unshared || echo blocked";
        var confined = Run(Config(new LinuxContainerSecurityContext { Seccomp = new SecurityProfile() }, "sh", "-c", script));
        Assert.Contains("alive", confined.Output, StringComparison.Ordinal);
        Assert.Contains("blocked", confined.Output, StringComparison.Ordinal);
        var unconfined = Run(Config(new LinuxContainerSecurityContext { Seccomp = new SecurityProfile { ProfileType = SecurityProfile.Types.ProfileType.Unconfined } }, "sh", "-c", script));
        Assert.Contains("unshared", unconfined.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void MaskedPathsAreUnreadable()
    {
        // A masked file is /dev/null bound over it (character device 1:3); reading it gives nothing.
        // /proc/timer_list: this kernel has no /proc/kcore; timer_list is on the default list and readable by root.
        var (_, output) = Run(Config(new LinuxContainerSecurityContext(), "sh", "-c", "stat -c 'dev=%t:%T' /proc/timer_list; cat /proc/timer_list | grep -c ."));
        Assert.Contains("dev=1:3", output, StringComparison.Ordinal);
        Assert.EndsWith("0", output.Trim(), StringComparison.Ordinal);
    }

    private static ContainerConfig Config(LinuxContainerSecurityContext security, params string[] command)
    {
        var config = SpecTestRootfs.WithSecurity(security);
        config.Command.AddRange(command);
        return config;
    }

    private (int Exit, string Output) Run(ContainerConfig config, PodSandboxConfig? sandbox = null)
    {
        var id = $"caisson-ocispec-{Guid.NewGuid():N}"[..28];
        var input = rootfs.Input(config, sandbox: sandbox) with { ContainerId = id };
        var spec = ContainerSpecBuilder.Build(input).Spec;
        var bundle = rootfs.Directory;
        File.WriteAllBytes(Path.Combine(bundle, "config.json"), JsonSerializer.SerializeToUtf8Bytes(spec, OciSpecJsonContext.Default.OciSpec));
        var start = new ProcessStartInfo("runc", ["run", "--bundle", bundle, id])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"runc run {id} did not finish");
        }

        Process.Start("runc", ["delete", "--force", id])?.WaitForExit(10_000);
        var text = output.Result + error.Result;
        return (process.ExitCode, text);
    }
}
