using Caisson.Api.Cri;
using Caisson.Core.Errors;
using Caisson.Runtime.Containers;

namespace Caisson.Tests.Runtime.Containers;

public sealed class TerminationMessageFileTests : IDisposable
{
    private readonly string _bundle = Directory.CreateTempSubdirectory("caisson-termination-").FullName;

    public void Dispose() => Directory.Delete(_bundle, recursive: true);

    [Theory]
    [InlineData(null, null, null, "no annotation: the kubelet asked for nothing")]
    [InlineData("", null, "/dev/termination-log", "an empty path is Kubernetes' default")]
    [InlineData("/dev/termination-log", null, "/dev/termination-log", "the default, named")]
    [InlineData("/var/run/msg/", null, "/var/run/msg", "a path of the pod's choosing, cleaned")]
    [InlineData("/dev/termination-log", "/dev/termination-log", null, "the kubelet mounts its own file there")]
    [InlineData("/dev/termination-log", "/dev/./termination-log/", null, "the kubelet's mount, spelled differently")]
    [InlineData("/dev/termination-log", "/dev/other", "/dev/termination-log", "a mount elsewhere does not count")]
    public void The_file_is_made_only_when_a_path_is_named_and_nothing_is_mounted_there(
        string? annotation, string? kubeletMount, string? expected, string description)
    {
        Assert.NotNull(description);
        var config = new ContainerConfig();
        if (annotation is not null)
            config.Annotations[TerminationMessageFile.PathAnnotation] = annotation;
        if (kubeletMount is not null)
            config.Mounts.Add(new Mount { ContainerPath = kubeletMount, HostPath = "/var/lib/kubelet/pods/x/containers/c/0" });

        var message = TerminationMessageFile.Create(config, _bundle);

        Assert.Equal(expected, message?.ContainerPath);
        if (message is not null)
        {
            Assert.Equal(Path.Combine(_bundle, "termination-log"), message.HostPath);
            Assert.Equal(0, new FileInfo(message.HostPath).Length);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite,
                File.GetUnixFileMode(message.HostPath));
        }
        else
        {
            Assert.False(File.Exists(Path.Combine(_bundle, "termination-log")));
        }
    }

    [Theory]
    [InlineData("dev/termination-log", "relative")]
    [InlineData("/dev/../etc/passwd", "climbs out with ..")]
    public void A_path_that_is_not_clean_and_absolute_is_refused(string path, string description)
    {
        Assert.NotNull(description);
        var config = new ContainerConfig { Annotations = { [TerminationMessageFile.PathAnnotation] = path } };

        var error = Assert.Throws<InvalidArgumentException>(() => TerminationMessageFile.Create(config, _bundle));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }
}
