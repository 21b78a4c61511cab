using System.Text;
using Caisson.Daemon.Http2;

namespace Caisson.Tests.Daemon.Http2.Support;

internal sealed class CollectingHeaderSink : IHpackHeaderSink
{
    public List<(string Name, string Value)> Fields { get; } = [];

    public List<bool> NeverIndexed { get; } = [];

    public void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, bool neverIndexed)
    {
        Fields.Add((Encoding.Latin1.GetString(name), Encoding.Latin1.GetString(value)));
        NeverIndexed.Add(neverIndexed);
    }

    public static List<(string Name, string Value)> Decode(HpackDecoder decoder, ReadOnlySpan<byte> block)
    {
        var sink = new CollectingHeaderSink();
        decoder.Decode(block, sink);
        return sink.Fields;
    }
}
