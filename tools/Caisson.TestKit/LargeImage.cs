using Caisson.Testing.Images;

/// <summary>
/// A deterministic benchmark image: many 1 MiB files per layer, a mix of incompressible bytes and text-like data
/// (roughly what application images hold), gzip layers, plus busybox so it could run.
/// </summary>
internal static class LargeImage
{
    public static BuiltImage Build(int totalMegabytes, int layers)
    {
        var random = new Random(20261125);
        var builder = new ImageBuilder().AddLayer(LayerCompressionKind.Gzip, l => l.File("/bin/busybox", File.ReadAllBytes("/bin/busybox"), UnixMode.Octal(0755)));
        var perLayer = Math.Max(1, totalMegabytes / layers);
        for (var layer = 0; layer < layers; layer++)
        {
            var files = new List<(string Path, byte[] Data)>();
            for (var i = 0; i < perLayer; i++)
                files.Add(($"/data/layer{layer}/file{i:D4}.bin", FileData(random, i)));
            builder.AddLayer(LayerCompressionKind.Gzip, l =>
            {
                l.Directory("/data", UnixMode.Octal(0755)).Directory($"/data/layer{layer}", UnixMode.Octal(0755));
                foreach (var (path, data) in files)
                    l.File(path, data, UnixMode.Octal(0644));
            });
        }

        return builder.Build();
    }

    private static byte[] FileData(Random random, int index)
    {
        var data = new byte[1 << 20];
        if (index % 2 == 0)
        {
            random.NextBytes(data);
            return data;
        }

        // Text-like: words from a small vocabulary, compresses about 3-4x like source code or logs.
        var words = "the runtime pulls layers from registry content snapshot overlay container kubelet sandbox network ".Split(' ');
        var position = 0;
        while (position < data.Length)
        {
            var word = words[random.Next(words.Length)];
            foreach (var c in word + (random.Next(12) == 0 ? "\n" : " "))
            {
                if (position == data.Length)
                    break;
                data[position++] = (byte)c;
            }
        }

        return data;
    }
}
