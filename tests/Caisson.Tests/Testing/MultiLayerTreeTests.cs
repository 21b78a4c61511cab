using System.Runtime.Versioning;
using System.Text;
using Caisson.Testing.Images;

namespace Caisson.Tests.Testing;

[SupportedOSPlatform("linux")]
public sealed class MultiLayerTreeTests : IDisposable
{
    private readonly DirectoryInfo scratch = Directory.CreateTempSubdirectory("caisson-tree-");

    public void Dispose() => scratch.Delete(recursive: true);

    [Theory]
    [MemberData(nameof(TestImages.Variants), MemberType = typeof(TestImages))]
    public void Expected_tree_is_what_applying_the_layers_gives(ImageFormat format, LayerCompressionKind compression)
    {
        var expected = TestImages.MultiLayerExpected;
        var merged = Merge(TestImages.MultiLayer(format, compression));

        Assert.Equal(expected.Entries.Select(e => e.Path).Order(StringComparer.Ordinal), merged.Nodes.Keys.Order(StringComparer.Ordinal));
        foreach (var entry in expected.Entries)
        {
            var node = merged.Nodes[entry.Path];
            Assert.True(entry.Kind == node.Kind, $"{entry.Path}: {node.Kind}, expected {entry.Kind}");
            Assert.True(entry.LinkTarget == node.LinkTarget, $"{entry.Path}: links to {node.LinkTarget}, expected {entry.LinkTarget}");
            if (entry.Kind != ExpectedEntryKind.Symlink)
                Assert.True(entry.Mode == node.Mode, $"{entry.Path}: mode {UnixMode.Format(node.Mode)}, expected {UnixMode.Format(entry.Mode!.Value)}");
            Assert.True((entry.Uid, entry.Gid) == (node.Uid, node.Gid), $"{entry.Path}: owner {node.Uid}:{node.Gid}, expected {entry.Uid}:{entry.Gid}");
            if (entry.Kind == ExpectedEntryKind.File)
                Assert.True(entry.Content == Encoding.UTF8.GetString(node.Content), $"{entry.Path}: content differs");
        }

        Assert.All(expected.Absent, path => Assert.False(merged.Nodes.ContainsKey(path), $"{path} must be absent"));
    }

    [Fact]
    public void Hard_links_are_exactly_the_expected_groups()
    {
        var merged = Merge(TestImages.MultiLayer());
        var groups = TestImages.MultiLayerExpected.HardlinkGroups;

        foreach (var group in groups)
            Assert.All(group, path => Assert.Same(merged.Nodes[group[0]], merged.Nodes[path]));
        var files = merged.Nodes.Where(n => n.Value.Kind == ExpectedEntryKind.File).ToArray();
        foreach (var (path, node) in files)
        {
            var sharing = files.Where(f => ReferenceEquals(f.Value, node)).Select(f => f.Key).Order(StringComparer.Ordinal).ToArray();
            if (sharing.Length > 1)
                Assert.Contains(groups, g => g.Order(StringComparer.Ordinal).SequenceEqual(sharing));
            else
                Assert.DoesNotContain(groups, g => g.Contains(path));
        }
    }

    [Fact]
    public void Find_mismatches_accepts_the_expected_tree_on_disk()
    {
        Materialize(Merge(TestImages.MultiLayer()), scratch.FullName);

        Assert.Empty(TestImages.MultiLayerExpected.FindMismatches(scratch.FullName));
    }

    [Fact]
    public void Find_mismatches_reports_each_kind_of_difference()
    {
        var root = scratch.FullName;
        Materialize(Merge(TestImages.MultiLayer()), root);
        File.WriteAllText(Path.Join(root, "etc/keep.txt"), "keep v1\n");
        File.SetUnixFileMode(Path.Join(root, "etc/removed.txt"), UnixMode.Octal(0666));
        File.Delete(Path.Join(root, "gone/fresh.txt"));
        File.WriteAllText(Path.Join(root, "gone/inner.txt"), "inner\n");
        File.Delete(Path.Join(root, "bin/tool"));
        File.CreateSymbolicLink(Path.Join(root, "bin/tool"), "tool-link");
        File.Delete(Path.Join(root, "data/original"));
        Directory.CreateDirectory(Path.Join(root, "data/original"));

        var problems = TestImages.MultiLayerExpected.FindMismatches(root);

        Assert.Equal(
            [
                "/bin/tool: links to \"tool-link\", expected \"tool2\"",
                "/data/original: is a Directory, expected a File",
                "/etc/keep.txt: content \"keep v1\n\", expected \"keep v2\n\"",
                "/etc/removed.txt: mode 0666, expected 0644",
                "/gone/fresh.txt: missing",
                "/gone/inner.txt: must be absent but exists",
                "/gone/inner.txt: not expected in the tree",
            ],
            problems.Order(StringComparer.Ordinal));
    }

    private static MergedTreeModel Merge(BuiltImage image) => MergedTreeModel.Apply(image.Layers.Select(l => l.UncompressedTar));

    /// <summary>Writes the model to disk (hard links as copies: FindMismatches does not look at inodes).</summary>
    private static void Materialize(MergedTreeModel model, string root)
    {
        foreach (var (path, node) in model.Nodes.OrderBy(n => n.Key, StringComparer.Ordinal))
        {
            var full = Path.Join(root, path);
            switch (node.Kind)
            {
                case ExpectedEntryKind.Directory:
                    Directory.CreateDirectory(full);
                    break;
                case ExpectedEntryKind.File:
                    File.WriteAllBytes(full, node.Content);
                    File.SetUnixFileMode(full, node.Mode);
                    break;
                case ExpectedEntryKind.Symlink:
                    File.CreateSymbolicLink(full, node.LinkTarget!);
                    break;
            }
        }

        foreach (var (path, node) in model.Nodes.Where(n => n.Value.Kind == ExpectedEntryKind.Directory))
            File.SetUnixFileMode(Path.Join(root, path), node.Mode);
    }
}
