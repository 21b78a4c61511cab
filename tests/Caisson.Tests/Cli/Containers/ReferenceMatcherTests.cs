using Caisson.Cli.Containers;
using Caisson.Core.Errors;

namespace Caisson.Tests.Cli.Containers;

public sealed class ReferenceMatcherTests
{
    private sealed record Item(string Id, string Name);

    private static readonly Item[] Items =
    [
        new("aaaa1111bbbb2222cccc", "web"),
        new("aaaa2222dddd3333eeee", "db"),
        new("bbbb0000ffff4444aaaa", "aaaa2"),
        new("cccc5555aaaa6666bbbb", "worker"),
        new("dddd7777eeee8888ffff", "worker"),
    ];

    [Theory]
    [InlineData("full id", "aaaa1111bbbb2222cccc", "web")]
    [InlineData("name", "db", "db")]
    [InlineData("unique id prefix", "aaaa1", "web")]
    [InlineData("one character is enough when unique", "b", "aaaa2")]
    [InlineData("a name wins over an id prefix", "aaaa2", "aaaa2")]
    [InlineData("nothing fits", "zzz", null)]
    public void Finds(string description, string reference, string? expectedName)
    {
        var found = ReferenceMatcher.Find(Items, reference, i => i.Id, i => i.Name, "container");

        Assert.True(found?.Name == expectedName, $"{description}: got {found?.Name ?? "nothing"}");
    }

    [Theory]
    [InlineData("a prefix of two ids", "aaaa", "\"aaaa\" is the start of 2 container ids: aaaa1111bbbb (web), aaaa2222dddd (db); give more of the id")]
    [InlineData("a name two containers have", "worker", "\"worker\" is the name of 2 containers: cccc5555aaaa (worker), dddd7777eeee (worker); give more of the id")]
    [InlineData("empty", "", "empty container reference")]
    public void RefusesToGuess(string description, string reference, string expected)
    {
        var error = Assert.Throws<InvalidArgumentException>(() => ReferenceMatcher.Find(Items, reference, i => i.Id, i => i.Name, "container"));

        Assert.True(error.Message == expected, $"{description}: got {error.Message}");
    }

    [Fact]
    public void GetSaysWhatWasNotFound()
    {
        var error = Assert.Throws<NotFoundException>(() => ReferenceMatcher.Get(Items, "nosuch", i => i.Id, i => i.Name, "pod"));

        Assert.Equal("no such pod: nosuch", error.Message);
    }
}
