// A client of the libvirt protocol that does not use libvirt's C library: Debian's go-libvirt
// (github.com/digitalocean/go-libvirt), the protocol implementation Terraform's provider and several
// exporters are built on. GoLibvirtClientTest builds and runs it against jvirtd.
//
// usage: golibvirt-client SOCKET URI DOMAIN_XML_FILE
// Prints one "name: result" line per call and exits 1 at the first call that fails.
package main

import (
	"fmt"
	"os"

	libvirt "github.com/digitalocean/go-libvirt"
	"github.com/digitalocean/go-libvirt/socket/dialers"
)

func check(call string, err error) {
	if err != nil {
		fmt.Printf("%s: error: %v\n", call, err)
		os.Exit(1)
	}
}

func main() {
	xml, err := os.ReadFile(os.Args[3])
	check("read domain XML", err)
	l := libvirt.NewWithDialer(dialers.NewLocal(dialers.WithSocket(os.Args[1])))
	check("ConnectOpen", l.ConnectToURI(libvirt.ConnectURI(os.Args[2])))
	fmt.Println("ConnectOpen: ok")
	uri, err := l.ConnectGetUri()
	check("ConnectGetUri", err)
	fmt.Println("ConnectGetUri:", uri)
	typ, err := l.ConnectGetType()
	check("ConnectGetType", err)
	fmt.Println("ConnectGetType:", typ)
	lib, err := l.ConnectGetLibVersion()
	check("ConnectGetLibVersion", err)
	fmt.Println("ConnectGetLibVersion:", lib)
	host, err := l.ConnectGetHostname()
	check("ConnectGetHostname", err)
	fmt.Println("ConnectGetHostname:", host != "")
	dom, err := l.DomainDefineXML(string(xml))
	check("DomainDefineXML", err)
	fmt.Println("DomainDefineXML:", dom.Name)
	found, err := l.DomainLookupByName(dom.Name)
	check("DomainLookupByName", err)
	fmt.Println("DomainLookupByName:", found.UUID == dom.UUID)
	desc, err := l.DomainGetXMLDesc(found, 0)
	check("DomainGetXMLDesc", err)
	fmt.Println("DomainGetXMLDesc:", len(desc) > 0)
	check("DomainCreate", l.DomainCreate(found))
	state, _, err := l.DomainGetState(found, 0)
	check("DomainGetState", err)
	fmt.Println("DomainGetState:", state)
	doms, _, err := l.ConnectListAllDomains(1, libvirt.ConnectListDomainsActive)
	check("ConnectListAllDomains", err)
	fmt.Println("ConnectListAllDomains active:", len(doms))
	check("DomainDestroy", l.DomainDestroy(found))
	fmt.Println("DomainDestroy: ok")
	check("DomainUndefine", l.DomainUndefine(found))
	fmt.Println("DomainUndefine: ok")
	check("ConnectClose", l.Disconnect())
	fmt.Println("ConnectClose: ok")
}
