/**
 * A live inventory of our hosts' addresses: named sets of IPv4/IPv6 addresses and CIDR blocks, each
 * refreshed from one source (a file, an HTTP JSON source, GCE, EC2) on its own schedule, held as an
 * immutable snapshot swapped whole, failing closed once too old. The token authority's ACL reads it.
 */
package dev.portcullis.inventory;
