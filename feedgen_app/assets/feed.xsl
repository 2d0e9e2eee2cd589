<?xml version="1.0" encoding="UTF-8"?>
<!-- Shows an Atom or RSS feed opened in a browser as a readable page; feed readers ignore it. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:atom="http://www.w3.org/2005/Atom">
  <xsl:output method="html" encoding="UTF-8" doctype-system="about:legacy-compat"/>
  <xsl:template match="/atom:feed">
    <html lang="en">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="atom:title"/> (feed)</title>
        <link rel="icon" href="data:,"/>
        <link rel="stylesheet" href="style.css"/>
      </head>
      <body>
        <header>
          <h1><xsl:value-of select="atom:title"/></h1>
          <p class="note">This is a web feed. To subscribe, copy this page's address
            (<code><xsl:value-of select="atom:link[@rel='self']/@href"/></code>) into your feed reader
            (NetNewsWire, Miniflux, Feedly, newsboat…). <a href="index.html">All feeds</a>.</p>
          <p>Source: <a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:link[@rel='alternate']/@href"/></a></p>
        </header>
        <main>
          <xsl:for-each select="atom:entry">
            <article>
              <h2><a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a></h2>
              <p><time datetime="{atom:published}"><xsl:value-of select="concat(substring(atom:published, 1, 10), ' ', substring(atom:published, 12, 5), ' (', substring(atom:published, 20), ')')"/></time>
                <xsl:for-each select="atom:author"> · <xsl:value-of select="atom:name"/></xsl:for-each></p>
              <p><xsl:value-of select="atom:summary"/></p>
            </article>
          </xsl:for-each>
        </main>
      </body>
    </html>
  </xsl:template>
  <xsl:template match="/rss">
    <html lang="en">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="channel/title"/> (feed)</title>
        <link rel="icon" href="data:,"/>
        <link rel="stylesheet" href="style.css"/>
      </head>
      <body>
        <header>
          <h1><xsl:value-of select="channel/title"/></h1>
          <p class="note">This is a web feed (RSS 2.0). To subscribe, copy this page's address into your feed
            reader (NetNewsWire, Miniflux, Feedly, newsboat…). <a href="index.html">All feeds</a>.</p>
          <p>Source: <a href="{channel/link}"><xsl:value-of select="channel/link"/></a></p>
        </header>
        <main>
          <xsl:for-each select="channel/item">
            <article>
              <h2><a href="{link}"><xsl:value-of select="title"/></a></h2>
              <p><time><xsl:value-of select="pubDate"/></time></p>
              <p><xsl:value-of select="description"/></p>
            </article>
          </xsl:for-each>
        </main>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
