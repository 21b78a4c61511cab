using Caisson.Api.Cri;
using Caisson.Tests.Runtime.Network;

namespace Caisson.Tests.Cri;

/// <summary>
/// A container's security context, end to end: asked for through the CRI client as the kubelet asks, run by the
/// daemon with real runc, and seen from inside the container (its process's /proc status, `id`, a write, a syscall).
/// </summary>
[Trait("Category", "Integration")]
[Trait("Category", "Privileged")]
[Collection(CniTestCollection.Name)]
public sealed class SecurityContextTests(PodDaemonFixture pods) : IClassFixture<PodDaemonFixture>
{
    private static readonly string[] Sleep = ["/bin/sleep", "1000"];

    [Fact]
    public async Task A_username_is_resolved_in_the_images_passwd_and_group_with_its_groups_and_the_supplemental_ones()
    {
        var id = await StartAsync("by-name", security =>
        {
            security.RunAsUsername = "tester";
            security.SupplementalGroups.Add(2000);
        });

        Assert.Equal("uid=1000(tester) gid=1000(testers) groups=1000(testers),1001(extras),2000\n", await pods.ExecAsync(id, "id"));
    }

    [Fact]
    public async Task A_numeric_user_and_group_are_used_as_given()
    {
        var id = await StartAsync("by-number", security =>
        {
            security.RunAsUser = new Int64Value { Value = 1234 };
            security.RunAsGroup = new Int64Value { Value = 2345 };
        });

        Assert.Equal("1234 2345\n", await pods.ExecAsync(id, "sh", "-c", "echo $(id -u) $(id -g)"));
        Assert.Matches(@"Uid:\s+1234\s+1234\s+1234\s+1234\nGid:\s+2345\s", await InitStatusAsync(id));
    }

    [Fact]
    public async Task Dropping_all_capabilities_and_adding_one_leaves_exactly_that_one()
    {
        var id = await StartAsync("caps", security =>
        {
            security.Capabilities = new Capability();
            security.Capabilities.DropCapabilities.Add("ALL");
            security.Capabilities.AddCapabilities.Add("NET_BIND_SERVICE");
        });

        // CAP_NET_BIND_SERVICE is bit 10.
        var status = await InitStatusAsync(id);
        Assert.Matches(@"CapEff:\s+0*400\n", status);
        Assert.Matches(@"CapBnd:\s+0*400\n", status);
        var chown = await pods.ExecAsync(id, "sh", "-c", "touch /tmp/owned && chown 1000 /tmp/owned && echo changed || echo denied");
        Assert.Equal("denied\n", chown);
    }

    [Fact]
    public async Task A_read_only_rootfs_refuses_writes_but_the_pods_writable_mounts_stay_writable()
    {
        var id = await StartAsync("read-only", security => security.ReadonlyRootfs = true);

        Assert.Equal("refused\n", await pods.ExecAsync(id, "sh", "-c", "touch /probe 2>/dev/null && echo wrote || echo refused"));
        Assert.Equal("wrote\n", await pods.ExecAsync(id, "sh", "-c", "touch /dev/shm/probe && echo wrote || echo refused"));
    }

    [Theory]
    [InlineData(true, "1")]
    [InlineData(false, "0")]
    public async Task No_new_privs_is_set_only_when_asked(bool noNewPrivs, string expected)
    {
        var id = await StartAsync($"nnp-{noNewPrivs}".ToLowerInvariant(), security => security.NoNewPrivs = noNewPrivs);

        Assert.Matches($@"NoNewPrivs:\s+{expected}\n", await InitStatusAsync(id));
    }

    [Theory]
    [InlineData(SecurityProfile.Types.ProfileType.RuntimeDefault, "blocked")]
    [InlineData(SecurityProfile.Types.ProfileType.Unconfined, "unshared")]
    public async Task The_runtime_default_seccomp_profile_blocks_creating_a_user_namespace(SecurityProfile.Types.ProfileType profile, string expected)
    {
        var id = await StartAsync($"seccomp-{profile}".ToLowerInvariant(), security =>
            security.Seccomp = new SecurityProfile { ProfileType = profile });

        Assert.Matches($@"Seccomp:\s+{(profile == SecurityProfile.Types.ProfileType.Unconfined ? 0 : 2)}\n", await InitStatusAsync(id));
        Assert.Equal(expected + "\n", await pods.ExecAsync(id, "sh", "-c", "unshare -U true 2>/dev/null && echo unshared || echo blocked"));
    }

    /// <summary>/proc/PID/status of the container's own process (its sleep; PID 1 of the pod's namespace is the pause).</summary>
    private Task<string> InitStatusAsync(string id) => pods.ExecAsync(id, "sh", "-c", "cat /proc/$(pidof sleep)/status");

    private async Task<string> StartAsync(string name, Action<LinuxContainerSecurityContext> secure)
    {
        var config = pods.PodConfig(name);
        var sandbox = await pods.RunPodAsync(config);
        return await pods.StartContainerAsync(sandbox, config, name, Sleep, container => secure(container.Linux.SecurityContext));
    }
}
