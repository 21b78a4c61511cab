using Caisson.Cli.Output;

namespace Caisson.Tests.Cli;

public sealed class TableWriterTests
{
    [Fact]
    public void ColumnsAreAsWideAsTheirWidestCellWithThreeSpaceGutters()
    {
        var table = new TableWriter("REPOSITORY", "TAG", "SIZE");
        table.AddRow("docker.io/library/busybox", "1.36", "4.26MB");
        table.AddRow("a", "latest", "1kB");

        var text = Render(table);

        Assert.Equal(
            "REPOSITORY                  TAG      SIZE\n" +
            "docker.io/library/busybox   1.36     4.26MB\n" +
            "a                           latest   1kB\n",
            text);
    }

    [Fact]
    public void NoTrailingSpacesWhenTheLastCellIsShort()
    {
        var table = new TableWriter("A", "LONG HEADER");
        table.AddRow("x", "");

        Assert.Equal("A   LONG HEADER\nx\n", Render(table));
    }

    [Fact]
    public void HeadersAloneWhenThereAreNoRows()
    {
        Assert.Equal("ID   NAME\n", Render(new TableWriter("ID", "NAME")));
    }

    [Fact]
    public void RefusesARowWithTheWrongNumberOfCells()
    {
        var table = new TableWriter("A", "B");

        Assert.Throws<ArgumentException>(() => table.AddRow("only one"));
    }

    private static string Render(TableWriter table)
    {
        var writer = new StringWriter { NewLine = "\n" };
        table.WriteTo(writer);
        return writer.ToString();
    }
}
