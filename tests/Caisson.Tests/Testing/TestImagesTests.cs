using System.Formats.Tar;
using System.Text;
using Caisson.Testing.Images;

namespace Caisson.Tests.Testing;

public sealed class TestImagesTests
{
    [Fact]
    public void Busybox_holds_the_host_binary_its_applets_and_users()
    {
        var image = TestImages.Busybox(ImageFormat.Oci, LayerCompressionKind.Zstd);
        var entries = image.Layers.SelectMany(l => TarContents.ReadEntries(l.UncompressedTar)).ToDictionary(e => e.Name);

        Assert.Equal(File.ReadAllBytes("/bin/busybox"), TarContents.ReadContent(entries["bin/busybox"]));
        Assert.Equal(UnixMode.Executable, entries["bin/busybox"].Mode);
        Assert.All(TestImages.BusyboxApplets, applet =>
        {
            Assert.Equal(TarEntryType.SymbolicLink, entries["bin/" + applet].EntryType);
            Assert.Equal("busybox", entries["bin/" + applet].LinkName);
        });
        Assert.Equal(UnixMode.Octal(1777), entries["tmp/"].Mode);
        Assert.Equal((1000, 1000), (entries["home/tester/"].Uid, entries["home/tester/"].Gid));

        var passwd = Encoding.UTF8.GetString(TarContents.ReadContent(entries["etc/passwd"]));
        Assert.Contains("root:x:0:0:", passwd, StringComparison.Ordinal);
        Assert.Contains("tester:x:1000:1000:", passwd, StringComparison.Ordinal);
        Assert.Contains("nobody:x:65534:65534:", passwd, StringComparison.Ordinal);
        var group = Encoding.UTF8.GetString(TarContents.ReadContent(entries["etc/group"]));
        Assert.Contains("testers:x:1000:", group, StringComparison.Ordinal);
        Assert.Contains("extras:x:1001:tester\n", group, StringComparison.Ordinal);
        Assert.Equal(["/bin/sh"], image.Config.Config!.Cmd);
    }

    [Fact]
    public void Ready_made_images_are_built_once_per_format_and_compression()
    {
        Assert.Same(TestImages.Busybox(), TestImages.Busybox(ImageFormat.Oci, LayerCompressionKind.Gzip));
        Assert.NotSame(TestImages.Busybox(ImageFormat.Docker), TestImages.Busybox(ImageFormat.Oci));
        Assert.Equal(TestImages.Busybox(ImageFormat.Docker).Layers[0].DiffId, TestImages.Busybox(ImageFormat.Oci).Layers[0].DiffId);
    }

    [Fact]
    public void Multi_layer_image_has_three_layers_with_whiteouts_and_links()
    {
        var image = TestImages.MultiLayer(ImageFormat.Docker, LayerCompressionKind.Gzip);
        var names = image.Layers.Select(l => TarContents.ReadEntries(l.UncompressedTar).Select(e => e.Name).ToArray()).ToArray();

        Assert.Equal(3, names.Length);
        Assert.Contains("etc/.wh.removed.txt", names[1]);
        Assert.Contains("var/cache/.wh..wh..opq", names[1]);
        Assert.Contains(".wh.gone", names[1]);
        Assert.Contains("etc/.wh.keep-link", names[2]);
    }
}
